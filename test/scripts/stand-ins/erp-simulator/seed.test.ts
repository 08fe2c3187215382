import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import sqlite3 from 'sqlite3';
import { buildSeedData } from '../../../../scripts/stand-ins/erp-simulator/seed-data.js';
import { startErpSimulator } from '../../../../scripts/stand-ins/erp-simulator/simulator.js';
import { startTestErpFarm, type TestErpFarm } from '../../../../scripts/harness/erp-simulator.js';
import { RawSoapClient } from './raw-soap-client.js';

/** Runs one read-only query on the simulator's database file. */
async function query<T>(dbFile: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(handle)));
  });
  try {
    return await new Promise<T[]>((resolve, reject) =>
      db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    );
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

async function projectCodes(client: RawSoapClient, user: string, weekStart: string): Promise<string[]> {
  const { result } = await client.call('GetProjects', { user, weekStart });
  const projects =
    result?.project === undefined ? [] : Array.isArray(result.project) ? result.project : [result.project];
  return projects.map((p: { code: string }) => p.code);
}

describe('the seeded ERP', () => {
  let farm: TestErpFarm;
  let client: RawSoapClient;

  before(async () => {
    farm = await startTestErpFarm({ nodes: 1 });
    client = await RawSoapClient.on(farm.urls[0]!);
  });
  after(() => farm?.close());

  it('has at least 50 users', async () => {
    const [row] = await query<{ n: number }>(farm.dbFile, 'SELECT COUNT(*) AS n FROM users');
    assert.ok(row!.n >= 50, `${row!.n} users`);
  });

  it('has at least 30 projects, with codes like P-1042', async () => {
    const rows = await query<{ code: string }>(farm.dbFile, 'SELECT code FROM projects');
    assert.ok(rows.length >= 30, `${rows.length} projects`);
    assert.ok(rows.every((r) => /^P-\d{4}$/.test(r.code)));
  });

  it('has the development accounts with their roles', async () => {
    const rows = await query<{ account: string; roles: string }>(
      farm.dbFile,
      "SELECT account, roles FROM users WHERE account IN ('alice', 'bob', 'carol', 'dave') ORDER BY account",
    );
    assert.deepEqual(rows, [
      { account: 'alice', roles: 'Employee' },
      { account: 'bob', roles: 'Employee,Manager' },
      { account: 'carol', roles: 'Contractor' },
      { account: 'dave', roles: 'Admin' },
    ]);
  });

  it('gives every user at least one assignment', async () => {
    const rows = await query<{ account: string }>(
      farm.dbFile,
      'SELECT account FROM users WHERE account NOT IN (SELECT account FROM assignments)',
    );
    assert.deepEqual(rows, []);
  });

  it('assigns carol, a contractor, to exactly two projects', async () => {
    assert.deepEqual(await projectCodes(client, 'carol', '2026-11-16'), ['P-1042', 'P-1090']);
  });

  it('lets alice book at least five projects in a week of 2026', async () => {
    assert.ok((await projectCodes(client, 'alice', '2026-11-16')).length >= 5);
  });

  it("offers alice's project P-1077 in the week where its validity ends on a Wednesday, not after", async () => {
    const { result } = await client.call('GetProjects', { user: 'alice', weekStart: '2026-12-14' });
    assert.deepEqual(
      result.project.find((p: { code: string }) => p.code === 'P-1077'),
      { code: 'P-1077', label: 'Data centre exit', validFrom: '2025-09-01', validTo: '2026-12-16' },
    );
    assert.ok(!(await projectCodes(client, 'alice', '2026-12-21')).includes('P-1077'));
  });

  it('offers a project only from the week in which its validity starts', async () => {
    assert.ok(!(await projectCodes(client, 'alice', '2026-11-23')).includes('P-1088'));
    assert.ok((await projectCodes(client, 'alice', '2026-11-30')).includes('P-1088'));
  });

  it('does not offer a project whose validity has ended', async () => {
    assert.ok(!(await projectCodes(client, 'alice', '2026-11-16')).includes('P-1005'));
  });

  it('has entries booked for alice in past weeks', async () => {
    for (const weekStart of ['2026-11-02', '2026-11-09', '2026-11-16']) {
      assert.equal((await client.bookedCells('alice', weekStart)).length, 15, weekStart);
    }
  });

  it('finds a user whatever the case of the account name', async () => {
    assert.deepEqual(await projectCodes(client, 'CAROL', '2026-11-16'), ['P-1042', 'P-1090']);
  });
});

test('the seed is the same on every start', () => {
  assert.deepEqual(buildSeedData(), buildSeedData());
});

test('a restart on the same database keeps the bookings and does not seed again', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-restart-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dbFile = path.join(dir, 'nested', 'erp.db');
  const first = await startErpSimulator({ ports: [0], dbFile });
  const before = await RawSoapClient.on(first.urls[0]!);
  await before.call('SubmitTimesheet', {
    user: 'dave',
    weekStart: '2026-06-01',
    submissionId: randomUUID(),
    entry: [{ projectCode: 'P-1001', date: '2026-06-01', hours: 3, comment: '' }],
  });
  await first.close();

  const second = await startErpSimulator({ ports: [0], dbFile });
  t.after(() => second.close());
  const again = await RawSoapClient.on(second.urls[0]!);
  assert.deepEqual(await again.bookedCells('dave', '2026-06-01'), [['P-1001', '2026-06-01', 3]]);
  const [users] = await query<{ n: number }>(dbFile, 'SELECT COUNT(*) AS n FROM users');
  assert.equal(users!.n, buildSeedData().users.length);
});

test('a database from before WSDL v1.3 gets the team columns at start and keeps its bookings', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'erp-upgrade-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dbFile = path.join(dir, 'erp.db');
  const first = await startErpSimulator({ ports: [0], dbFile });
  const client = await RawSoapClient.on(first.urls[0]!);
  await client.call('SubmitTimesheet', {
    user: 'erin',
    weekStart: '2026-06-01',
    submissionId: randomUUID(),
    entry: [{ projectCode: 'P-1001', date: '2026-06-01', hours: 4, comment: '' }],
  });
  await first.close();
  // The users table as v1.2 made it: no email, language or manager.
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle = new sqlite3.Database(dbFile, (err) => (err ? reject(err) : resolve(handle)));
  });
  const exec = (sql: string) =>
    new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  await exec(`PRAGMA foreign_keys = OFF;
    CREATE TABLE users_old (account TEXT PRIMARY KEY COLLATE NOCASE, display_name TEXT NOT NULL, roles TEXT NOT NULL);
    INSERT INTO users_old SELECT account, display_name, 'Employee' FROM users;
    DROP TABLE users; ALTER TABLE users_old RENAME TO users;`);
  await new Promise<void>((resolve) => db.close(() => resolve()));

  const second = await startErpSimulator({ ports: [0], dbFile });
  t.after(() => second.close());
  const again = await RawSoapClient.on(second.urls[0]!);
  assert.deepEqual(await again.bookedCells('erin', '2026-06-01'), [['P-1001', '2026-06-01', 4]]);
  const { result } = await again.call('GetTeamWeek', { manager: 'bob', weekStart: '2026-06-01' });
  const members = (Array.isArray(result.member) ? result.member : [result.member]) as Array<{
    account: string;
    email: string;
    booking?: { hours: string | number };
  }>;
  assert.deepEqual(members.map((m) => m.account).sort(), ['alice', 'carol', 'claire', 'erin', 'zoe']);
  assert.equal(members.find((m) => m.account === 'erin')?.email, 'erin@contoso.example');
  assert.equal(Number(members.find((m) => m.account === 'erin')?.booking?.hours), 4);
  const [roles] = await query<{ roles: string }>(dbFile, "SELECT roles FROM users WHERE account = 'bob'");
  assert.equal(roles!.roles, 'Employee,Manager', 'the roles come back from the seed too');
});
