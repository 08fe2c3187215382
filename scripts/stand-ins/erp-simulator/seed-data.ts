/**
 * The ERP's deterministic seed: the same file every time, so tests and demos can name users,
 * projects and booked weeks. The development accounts (alice, bob, carol, dave) are hand-written;
 * the other users are generated from a fixed pseudo-random sequence.
 */

export interface SeedUser {
  account: string;
  displayName: string;
  roles: string[];
  email: string;
  /** BCP 47 tag of the language the person reads (GetTeamWeek: the reminder e-mail's language). */
  language: string;
  /** The account of the person's manager (GetTeamWeek), null for nobody. */
  manager: string | null;
}

export interface SeedProject {
  code: string;
  label: string;
  validFrom: string;
  validTo: string | null;
}

export interface SeedEntry {
  projectCode: string;
  date: string;
  hours: number;
  comment: string;
}

export interface SeedBookedWeek {
  account: string;
  weekStart: string;
  submissionId: string;
  entries: SeedEntry[];
}

export interface SeedData {
  users: SeedUser[];
  projects: SeedProject[];
  assignments: Array<{ account: string; projectCode: string }>;
  bookedWeeks: SeedBookedWeek[];
}

const P = (code: string, label: string, validFrom: string, validTo: string | null = null): SeedProject => ({
  code,
  label,
  validFrom,
  validTo,
});

export const SEED_PROJECTS: SeedProject[] = [
  P('P-1001', 'Internal support', '2020-01-01'),
  P('P-1002', 'Training', '2020-01-01'),
  P('P-1005', 'Legacy archive', '2024-01-01', '2025-12-31'),
  P('P-1010', 'Network refresh', '2025-03-01'),
  P('P-1012', 'Service desk', '2021-06-01'),
  P('P-1015', 'Print fleet renewal', '2025-01-01', '2027-06-30'),
  P('P-1018', 'Mobile app', '2025-05-01'),
  P('P-1021', 'Data warehouse', '2024-09-01'),
  P('P-1024', 'Intranet redesign', '2025-02-01', '2026-12-31'),
  P('P-1027', 'Identity federation', '2025-10-01'),
  P('P-1030', 'Procurement portal', '2024-04-01'),
  P('P-1033', 'Warehouse scanners', '2025-07-01', '2027-03-31'),
  P('P-1036', 'Quality audit', '2026-01-05'),
  P('P-1039', 'Budget planning', '2023-01-01'),
  P('P-1042', 'Migration', '2025-01-01'),
  P('P-1043', 'Payroll upgrade', '2025-04-01'),
  P('P-1045', 'Customer analytics', '2025-11-01'),
  P('P-1048', 'Backup modernisation', '2025-06-01'),
  P('P-1050', 'Customer portal', '2024-10-01'),
  P('P-1053', 'Email archiving', '2025-01-01', '2026-09-30'),
  P('P-1056', 'Field service app', '2026-02-02'),
  P('P-1059', 'Supplier onboarding', '2025-08-01'),
  P('P-1061', 'Security audit', '2025-01-01'),
  P('P-1064', 'Telephony replacement', '2025-03-01', '2027-12-31'),
  P('P-1067', 'Reporting platform', '2024-06-01'),
  P('P-1070', 'Asset inventory', '2025-09-01'),
  // Ends on a Wednesday: the week of 2026-12-14 accepts it on Monday-Wednesday only.
  P('P-1077', 'Data centre exit', '2025-09-01', '2026-12-16'),
  P('P-1080', 'Document management', '2025-01-01'),
  P('P-1083', 'Sales forecasting', '2025-12-01'),
  // Starts on a Wednesday: the week of 2026-11-30 accepts it from Wednesday on.
  P('P-1088', 'Cloud bursting', '2026-12-02'),
  P('P-1090', 'Partner integration', '2025-05-01'),
  P('P-1093', 'Accessibility review', '2026-03-02'),
];

/**
 * Projects of nora alone: with every project above they make her list long (40 in the week of
 * 2026-11-30), the case the week page's project search is for, and their accented names are found by
 * plain letters ("cafe" finds "Café", "oeuvres" finds "Œuvres"). Kept out of the generated users' pool,
 * so the pseudo-random assignments of user001..user050 stay what they were.
 */
export const MANY_PROJECTS: SeedProject[] = [
  P('P-1101', 'Café refurbishment', '2025-01-01'),
  P('P-1102', 'Déménagement Lyon', '2025-06-01'),
  P('P-1103', 'Rénovation énergétique', '2025-03-01'),
  P('P-1104', 'Élections CSE', '2026-01-05'),
  P('P-1105', 'Sécurité incendie', '2024-01-01'),
  P('P-1106', 'Traduction documentation', '2025-09-01'),
  P('P-1107', 'Événement clients', '2026-04-01'),
  P('P-1108', 'Œuvres sociales', '2024-01-01'),
  P('P-1109', 'Qualité des données', '2025-02-01'),
  P('P-1110', 'Façade du siège', '2026-02-02'),
];

/** A development account: e-mail at contoso.example and English unless said otherwise. */
function devUser(
  account: string,
  displayName: string,
  roles: string[],
  more: Partial<Pick<SeedUser, 'email' | 'language' | 'manager'>> = {},
): SeedUser {
  return { account, displayName, roles, email: `${account}@contoso.example`, language: 'en', manager: null, ...more };
}

// Teams (GetTeamWeek): bob manages alice, carol, erin, zoe and claire; frank manages nora.
const DEV_USERS: SeedUser[] = [
  devUser('alice', 'Alice Martin', ['Employee'], { manager: 'bob' }),
  devUser('bob', 'Bob Dupont', ['Employee', 'Manager']),
  // A contractor: her e-mail is at the partner company, like her account at the partner IdP.
  devUser('carol', 'Carol Nguyen', ['Contractor'], { email: 'carol@fabrikam.example', manager: 'bob' }),
  devUser('dave', 'Dave Leroy', ['Admin']),
  // Also in config/dev/directory.json: spare employees for tests that must not share alice's weeks.
  devUser('erin', 'Erin Moreau', ['Employee'], { manager: 'bob' }),
  // A manager as in config/dev/directory.json (CONTOSO-Managers), of a team of one: nora.
  devUser('frank', 'Frank Lambert', ['Employee', 'Manager']),
  devUser('zoe', 'Zoé <O\'Brien> & "Co"', ['Employee'], { manager: 'bob' }),
  // Her directory entry sends a French language claim (language tests and screenshots).
  devUser('claire', 'Claire Fontaine', ['Employee'], { language: 'fr', manager: 'bob' }),
  // Assigned to every project (40 in a week of late 2026): the project search and favourite rows.
  devUser('nora', 'Nora Garnier', ['Employee'], { manager: 'frank' }),
];

const DEV_ASSIGNMENTS: Record<string, string[]> = {
  // P-1005 has ended and P-1088 has not started yet: GetProjects must leave them out of most weeks.
  alice: ['P-1042', 'P-1043', 'P-1050', 'P-1061', 'P-1077', 'P-1088', 'P-1005'],
  bob: ['P-1001', 'P-1021', 'P-1039', 'P-1042', 'P-1050', 'P-1067'],
  carol: ['P-1042', 'P-1090'],
  dave: ['P-1001', 'P-1012', 'P-1027'],
  erin: ['P-1001', 'P-1042', 'P-1050'],
  frank: ['P-1021', 'P-1042', 'P-1067'],
  zoe: ['P-1042', 'P-1093'],
  claire: ['P-1042', 'P-1050', 'P-1093'],
  nora: [...SEED_PROJECTS, ...MANY_PROJECTS].map((p) => p.code),
};

const FIRST_NAMES = ['Emma', 'Lucas', 'Chloe', 'Hugo', 'Lea', 'Louis', 'Manon', 'Nathan', 'Ines', 'Jules'];
const LAST_NAMES = ['Bernard', 'Petit', 'Robert', 'Richard', 'Durand'];

/** Small seeded PRNG (mulberry32): the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const generatedAccount = (i: number): string => `user${String(i + 1).padStart(3, '0')}`;

/**
 * Generated employees `user001`..`user050`, easy for load scripts to enumerate. Every tenth is a
 * Manager of the nine before it (user010 manages user001..user009); languages alternate en, fr.
 */
function generatedUsers(count: number): SeedUser[] {
  return Array.from({ length: count }, (_, i) => {
    const account = generatedAccount(i);
    const isManager = i % 10 === 9;
    const managerIndex = Math.floor(i / 10) * 10 + 9;
    return {
      account,
      displayName: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}`,
      roles: isManager ? ['Employee', 'Manager'] : ['Employee'],
      email: `${account}@contoso.example`,
      language: i % 2 === 0 ? 'en' : 'fr',
      // A last group shorter than ten has no manager rather than one who does not exist.
      manager: isManager || managerIndex >= count ? null : generatedAccount(managerIndex),
    };
  });
}

/** Mon-Fri of a week, 8 h a day over the given projects (the last takes what is left). */
function workWeek(weekStart: string, split: Array<[string, number, string]>): SeedEntry[] {
  const start = new Date(`${weekStart}T00:00:00Z`);
  return [0, 1, 2, 3, 4].flatMap((offset) => {
    const day = new Date(start.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    return split.map(([projectCode, hours, comment]) => ({ projectCode, date: day, hours, comment }));
  });
}

function aliceBookedWeeks(): SeedBookedWeek[] {
  const weeks = ['2026-01-12', '2026-11-02', '2026-11-09', '2026-11-16'];
  return weeks.map((weekStart) => ({
    account: 'alice',
    weekStart,
    submissionId: `seed-alice-${weekStart}`,
    entries: workWeek(weekStart, [
      ['P-1042', 4, 'Cut-over rehearsal'],
      ['P-1050', 3.5, 'Portal release'],
      ['P-1061', 0.5, ''],
    ]),
  }));
}

export function buildSeedData(): SeedData {
  const users = [...DEV_USERS, ...generatedUsers(50)];
  const random = prng(20260101);
  const pool = SEED_PROJECTS.filter((p) => p.validTo === null || p.validTo >= '2026-01-01');
  const assignments = users.flatMap((user) => {
    const fixed = DEV_ASSIGNMENTS[user.account];
    if (fixed) return fixed.map((projectCode) => ({ account: user.account, projectCode }));
    const count = 3 + Math.floor(random() * 4);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pool[Math.floor(random() * pool.length)]!.code);
    return [...chosen].sort().map((projectCode) => ({ account: user.account, projectCode }));
  });
  const bobWeek: SeedBookedWeek = {
    account: 'bob',
    weekStart: '2026-11-16',
    submissionId: 'seed-bob-2026-11-16',
    entries: workWeek('2026-11-16', [
      ['P-1021', 6, 'Load jobs'],
      ['P-1039', 2, 'Reviews'],
    ]),
  };
  return {
    users,
    projects: [...SEED_PROJECTS, ...MANY_PROJECTS],
    assignments,
    bookedWeeks: [...aliceBookedWeeks(), bobWeek],
  };
}
