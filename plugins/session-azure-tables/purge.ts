import type { Table } from './storage.js';

/**
 * Deletes the rows a filter selects (all rows without one), page by page, in batches per
 * partition; returns how many went. `keepGoing` is asked after each page (the sweep renews its
 * lease there and stops if it lost it).
 *
 * Deleting without ETags is safe for what the store purges: an expired session never comes
 * back to life (get() hides it, touch() refuses it, express-session gives the browser a new id),
 * and a purge-all means everything.
 */
export async function deleteRows(
  table: Table,
  filter: string | undefined,
  what: string,
  keepGoing?: () => Promise<boolean>,
): Promise<number> {
  let deleted = 0;
  for await (const page of table.pages(filter, ['PartitionKey', 'RowKey'], what)) {
    // Query results come sorted by PartitionKey, then RowKey: one run per partition.
    const byPartition = new Map<string, string[]>();
    for (const row of page) {
      const rows = byPartition.get(row.partitionKey!) ?? [];
      rows.push(row.rowKey!);
      byPartition.set(row.partitionKey!, rows);
    }
    for (const [partitionKey, rowKeys] of byPartition) deleted += await table.deleteBatch(partitionKey, rowKeys, what);
    if (keepGoing && !(await keepGoing())) break;
  }
  return deleted;
}
