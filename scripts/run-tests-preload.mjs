// Loaded into every test file's process by scripts/run-tests.mjs (node --import), before the tests.
//
// Each file runs in its own process and streams its results to the runner over its stdout, a pipe.
// On Linux a pipe write is asynchronous, and with --test-force-exit the child calls process.exit()
// as soon as its last test ends, with result frames still buffered: the runner then reports fewer
// tests than ran, with no failure and exit code 0 (nodejs/node#64833, open in Node 24 and 26). A CI
// run here lost the last 13 tests of test/deploy/terraform.test.ts that way; a failure among them
// would have been lost too. A blocking stdout makes every frame written before the exit.
// Only in a test file's process (NODE_TEST_CONTEXT is set there), not in the runner that reads them.
if (process.env.NODE_TEST_CONTEXT) process.stdout._handle?.setBlocking?.(true);
