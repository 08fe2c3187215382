/** What express-session hands a store method: called once, with an error or a value. */
export type StoreCallback<T> = (err: unknown, value?: T) => void;

/**
 * One helper for both calling styles of an express-session store method (the connect-redis
 * habit): with a callback, the outcome goes to it and the returned promise never rejects
 * (express-session ignores it); without one, the promise carries the outcome.
 */
export async function settle<T>(work: () => Promise<T>, callback?: StoreCallback<T>): Promise<T | undefined> {
  let value: T;
  try {
    value = await work();
  } catch (err) {
    if (!callback) throw err;
    callback(err);
    return undefined;
  }
  callback?.(null, value);
  return value;
}
