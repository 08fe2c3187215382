/**
 * Remembers texts that Intl formats the same way every time (a day's name, a week's date range):
 * formatting one costs microseconds, and a week page asks for the same few dozen on every view.
 * Bounded: past `max` entries it starts again, so a crawler walking through years cannot grow it.
 */
export function textMemo(max: number, compute: (key: string) => string): (key: string) => string {
  const texts = new Map<string, string>();
  return (key) => {
    let text = texts.get(key);
    if (text === undefined) {
      text = compute(key);
      if (texts.size >= max) texts.clear();
      texts.set(key, text);
    }
    return text;
  };
}
