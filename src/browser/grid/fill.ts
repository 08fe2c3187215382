// Fill right (Ctrl+R), fill down (Ctrl+D), copy a day's split to the other working days
// (Ctrl+Shift+R, or the "Copy … to the empty days" button), and Ctrl+Z right after to undo it.
// The rules are in fill-plan.ts: only empty cells are written, the cells left alone are named.
// Each written cell gets the same input and change events as typing, so week.js autosaves it (and
// keeps it offline) and the totals follow.
import { writeTyped } from './cell-state';
import { planDaySplit, planLine, type DayColumn, type Slot } from './fill-plan';
import { cellsOf, positionOf, rowsAround } from './nav';
import { fillIn, listOf, weekdayOf, type Note } from './note';

interface Written {
  input: HTMLInputElement;
  before: string;
  after: string;
}

export interface Fills {
  right(input: HTMLInputElement): void;
  down(input: HTMLInputElement): void;
  /** Copies the split of the day of column `col` (a grid's day index) to the other working days. */
  daySplit(form: HTMLElement, col: number): void;
  /** Undoes the last fill if nothing was typed since; false when there was none to undo. */
  undo(): boolean;
  /** Something was typed: Ctrl+Z belongs to the field again. */
  forget(): void;
}

const editable = (input: HTMLInputElement | null): input is HTMLInputElement =>
  !!input && !input.readOnly && input.form?.dataset.readonly !== 'true';

/**
 * The input a fill may write in a cell. Not only those on screen: the phone's day view shows one day,
 * and copying it to the week is what it is for there (the day tabs' totals and the note show it).
 */
function fillable(td: Element | undefined): HTMLInputElement | null {
  const input = td ? td.querySelector<HTMLInputElement>('input.hours') : null;
  return input && !input.disabled && editable(input) ? input : null;
}

function slotOf(td: HTMLTableCellElement | undefined, alongRow: boolean): Slot {
  const input = fillable(td);
  const open = editable(input) && !(alongRow && td?.classList.contains('nonworking'));
  return { value: input ? input.value : '', open };
}

/** A project row's name as the person reads it ("P-1042 Migration"), without its buttons. */
function rowName(tr: Element): string {
  const th = tr.querySelector('th');
  if (!th) return '';
  const copy = th.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('button, details, select, input, .visually-hidden').forEach((n) => n.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim() || (tr.getAttribute('data-project') ?? '');
}

/** Rows a fill down may write: of the same kind as `tr` (project rows, or new rows without a project). */
function sameKindRows(input: HTMLInputElement, tr: Element): HTMLTableRowElement[] {
  const project = tr.hasAttribute('data-project');
  return rowsAround(input).filter((r) => r.hasAttribute('data-project') === project);
}

export function createFills(msg: DOMStringMap, note: Note): Fills {
  let last: Written[] = [];

  function write(list: Array<[HTMLInputElement, string]>): void {
    last = list.map(([input, after]) => ({ input, before: input.value, after }));
    last.forEach((w) => writeTyped(w.input, w.after));
  }

  function lineFill(
    input: HTMLInputElement,
    cells: Array<HTMLTableCellElement | undefined>,
    at: number,
    names: (i: number) => string,
    alongRow: boolean,
  ): void {
    if (!editable(input)) return;
    const plan = planLine(
      cells.map((td) => slotOf(td, alongRow)),
      at,
    );
    if (plan.value === null) return note.say(msg.msgFillNoSource ?? '');
    const value = plan.value;
    write(plan.targets.map((i) => [fillable(cells[i]) as HTMLInputElement, value]));
    input.select();
    const said = [
      plan.targets.length
        ? fillIn(msg.msgFillCopied, { value, cells: listOf(plan.targets.map(names)) }) + ' ' + (msg.msgFillUndo ?? '')
        : (msg.msgFillNothing ?? ''),
    ];
    if (plan.kept.length) said.push(fillIn(msg.msgFillKept, { cells: listOf(plan.kept.map(names)) }));
    note.say(said.join(' '));
  }

  return {
    right(input) {
      const at = positionOf(input);
      if (!at) return;
      const cells = cellsOf(at.tr);
      lineFill(input, cells, at.col, (i) => weekdayOf(fillable(cells[i])?.dataset.date), true);
    },
    down(input) {
      const at = positionOf(input);
      if (!at) return;
      const rows = sameKindRows(input, at.tr);
      const cells = rows.map((r) => cellsOf(r)[at.col]);
      lineFill(input, cells, rows.indexOf(at.tr), (i) => rowName(rows[i] as Element), false);
    },
    daySplit(form, col) {
      copyDaySplit(form, col, msg, note, write);
    },
    undo() {
      if (!last.length) return false;
      last.forEach((w) => {
        if (w.input.value === w.after) writeTyped(w.input, w.before);
      });
      last = [];
      note.say(msg.msgFillUndone ?? '');
      return true;
    },
    forget() {
      last = [];
    },
  };
}

function copyDaySplit(
  form: HTMLElement,
  col: number,
  msg: DOMStringMap,
  note: Note,
  write: (list: Array<[HTMLInputElement, string]>) => void,
): void {
  const table = form.querySelector('table.grid');
  const heads = Array.from(table?.querySelectorAll<HTMLElement>('thead th[data-date]') ?? []);
  const rows = Array.from(table?.querySelectorAll('tbody > tr[data-project]') ?? []).map((tr) => cellsOf(tr));
  const days: DayColumn[] = heads.map((th, d) => {
    const inputs = rows.map((cells) => fillable(cells[d]));
    return {
      open: th.dataset.working === 'true' && inputs.some(editable),
      cells: inputs.map((input) => (editable(input) ? input.value : null)),
    };
  });
  const name = (d: number): string => weekdayOf(heads[d]?.dataset.date);
  const plan = planDaySplit(days, col);
  if (!plan.hasSource) return note.say(fillIn(msg.msgSplitNoSource, { day: name(col) }));
  write(plan.writes.map(([r, d, value]) => [fillable(rows[r]?.[d]) as HTMLInputElement, value]));
  const said = [
    plan.days.length
      ? fillIn(msg.msgSplitCopied, { day: name(col), days: listOf(plan.days.map(name)) }) +
        ' ' +
        (msg.msgFillUndo ?? '')
      : (msg.msgSplitNothing ?? ''),
  ];
  if (plan.kept.length) said.push(fillIn(msg.msgSplitKept, { days: listOf(plan.kept.map(name)) }));
  note.say(said.join(' '));
}
