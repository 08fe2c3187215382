// The in-memory fakes the unit tests use (scripts/harness/memory-*.ts) must behave like the real stores:
// they run the same contract suites as SQL and Azure Tables, so a unit test on a fake proves something.
import { MemoryDrafts } from '../../scripts/harness/memory-drafts.js';
import { MemoryOutbox } from '../../scripts/harness/memory-outbox.js';
import { MemoryReminders } from '../../scripts/harness/memory-reminders.js';
import type { Storage } from '../../src/ports/storage.js';
import { runDraftStoreContract } from './draft-store.contract.js';
import { runReminderLedgerContract } from './reminder-ledger.contract.js';
import { runSubmissionOutboxContract } from './submission-outbox.contract.js';

/**
 * Only what the contracts use of a storage handle. Every handle opened shares the same fakes, as
 * two instances share one database: the contracts check that a second instance sees the first's writes.
 */
const shared = { drafts: new MemoryDrafts(), outbox: new MemoryOutbox(), reminders: new MemoryReminders() };
const openFakes = async () => ({ ...shared, close: async () => undefined }) as unknown as Storage;

runDraftStoreContract('in-memory fake (unit tests)', openFakes);
runSubmissionOutboxContract('in-memory fake (unit tests)', openFakes);
runReminderLedgerContract('in-memory fake (unit tests)', openFakes);
