/** Entry point in the repository (`npm run app`): the target's plugins are imported from plugins/. */
import { startServer } from './start-server.js';

startServer().catch((err: unknown) => {
  process.stderr.write(`timesheet failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
