// clnrm's fake-data template functions (fake_name, fake_email, … , fake(kind=…), fake_kinds) on
// @faker-js/faker's English locale. Every call reseeds faker from its seed (template-args.ts), so
// `seed=` gives the same value each time and `[determinism] seed` makes a whole render repeatable.
// Values are of the same kind as clnrm's (Rust `fake` crate) but not the same strings.
import { faker } from '@faker-js/faker/locale/en';
import { type Args, TemplateArgError, optionalInt, requireString } from './template-args';
import type { FunctionContext, TemplateFunction } from './template-functions';

type Generate = (args: Args) => unknown;

// Neither faker nor the clnrm docs give these lists; these are the `fake` crate's kinds of value.
const COMPANY_SUFFIXES = ['Inc', 'and Sons', 'LLC', 'Group', 'Ltd', 'Corp'];
const INDUSTRIES = [
  'Accounting', 'Aerospace', 'Banking', 'Biotechnology', 'Construction', 'Consumer Electronics', 'Education',
  'Energy', 'Financial Services', 'Healthcare', 'Hospitality', 'Insurance', 'Logistics', 'Manufacturing',
  'Media', 'Pharmaceuticals', 'Real Estate', 'Retail', 'Software', 'Telecommunications',
];

const pad2 = (n: number) => String(n).padStart(2, '0');

function range(fn: string, args: Args, min: number, max: number): [number, number] {
  const lo = optionalInt(fn, args, 'min', min);
  const hi = optionalInt(fn, args, 'max', max);
  if (hi < lo) throw new TemplateArgError(`${fn}() needs min ≤ max, got min=${lo} max=${hi}`);
  return [lo, hi];
}

/** An integer in [min, max) like clnrm's `(min..max).fake()`; min itself when the range is empty. */
function intBelow(min: number, max: number): number {
  return max <= min ? min : faker.number.int({ min, max: max - 1 });
}

const GENERATORS: Record<string, Generate> = {
  fake_uuid: () => faker.string.uuid(),
  fake_uuid_seeded: () => faker.string.uuid(),
  fake_name: () => faker.person.fullName(),
  fake_first_name: () => faker.person.firstName(),
  fake_last_name: () => faker.person.lastName(),
  fake_title: () => faker.person.prefix(),
  fake_suffix: () => faker.person.suffix(),
  fake_email: () => faker.internet.exampleEmail(),
  fake_username: () => faker.internet.username(),
  fake_password: (a) => {
    const [min, max] = range('fake_password', a, 8, 20);
    return faker.internet.password({ length: Math.max(1, intBelow(min, max)) });
  },
  fake_domain: () => `${faker.lorem.word()}.${faker.internet.domainSuffix()}`,
  fake_url: () => `https://${faker.lorem.word()}.${faker.internet.domainSuffix()}`,
  fake_ipv4: () => faker.internet.ipv4(),
  fake_ipv6: () => faker.internet.ipv6(),
  fake_user_agent: () => faker.internet.userAgent(),
  fake_mac_address: () => faker.internet.mac(),
  fake_street: () => faker.location.street(),
  fake_city: () => faker.location.city(),
  fake_state: () => faker.location.state(),
  fake_zip: () => faker.location.zipCode(),
  fake_country: () => faker.location.country(),
  fake_latitude: () => String(faker.location.latitude()),
  fake_longitude: () => String(faker.location.longitude()),
  fake_phone: () => faker.phone.number({ style: 'national' }),
  fake_cell_phone: () => faker.phone.number({ style: 'human' }),
  fake_company: () => faker.company.name(),
  fake_company_suffix: () => faker.helpers.arrayElement(COMPANY_SUFFIXES),
  fake_industry: () => faker.helpers.arrayElement(INDUSTRIES),
  fake_profession: () => faker.person.jobTitle(),
  fake_word: () => faker.lorem.word(),
  fake_words: (a) => faker.lorem.words(Math.max(0, optionalInt('fake_words', a, 'count', 3))),
  fake_sentence: (a) => {
    const [min, max] = range('fake_sentence', a, 4, 10);
    return faker.lorem.sentence(Math.max(1, intBelow(min, max)));
  },
  fake_paragraph: (a) => {
    const [min, max] = range('fake_paragraph', a, 3, 7);
    return faker.lorem.paragraph(Math.max(1, intBelow(min, max)));
  },
  fake_int: () => faker.number.int({ min: 0, max: 999 }),
  fake_int_range: (a) => {
    const [min, max] = range('fake_int_range', a, 0, 100);
    return intBelow(min, max);
  },
  fake_float: () => faker.number.float({ min: 0, max: 1000 }),
  fake_bool: (a) => {
    const ratio = optionalInt('fake_bool', a, 'ratio', 50);
    if (ratio < 0 || ratio > 100) throw new TemplateArgError(`fake_bool() \`ratio\` is a percentage 0–100, got ${ratio}`);
    return faker.datatype.boolean({ probability: ratio / 100 });
  },
  fake_date: () => faker.date.anytime().toISOString().slice(0, 10),
  fake_time: () => {
    const d = faker.date.anytime();
    return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  },
  fake_datetime: () => faker.date.anytime().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  fake_timestamp: () => Math.floor(faker.date.anytime().getTime() / 1000),
  fake_credit_card: () => faker.finance.creditCardNumber(),
  fake_currency_code: () => faker.finance.currencyCode(),
  fake_currency_name: () => faker.finance.currencyName(),
  fake_currency_symbol: () => faker.finance.currencySymbol(),
  fake_filename: () => faker.system.fileName(),
  fake_extension: () => faker.system.fileExt(),
  fake_mime_type: () => faker.system.mimeType(),
  fake_file_path: () => faker.system.filePath(),
  fake_color: () => faker.color.human(),
  fake_hex_color: () => faker.color.rgb(),
  fake_rgb_color: () => faker.color.rgb({ format: 'css' }),
  fake_string: (a) => {
    const len = optionalInt('fake_string', a, 'len', 10);
    if (len < 0 || len > 4096) throw new TemplateArgError(`fake_string() \`len\` must be between 0 and 4096, got ${len}`);
    return faker.string.alpha({ length: len, casing: 'lower' });
  },
  fake_port: () => faker.number.int({ min: 1024, max: 65534 }),
  fake_semver: () => `${faker.number.int(9)}.${faker.number.int(19)}.${faker.number.int(99)}`,
};

/** The kinds fake(kind=…) knows, in clnrm's order (fake_kinds() returns this list). */
const KINDS: Record<string, Generate> = {
  'name.full': GENERATORS.fake_name!,
  'name.first': GENERATORS.fake_first_name!,
  'name.last': GENERATORS.fake_last_name!,
  'name.title': GENERATORS.fake_title!,
  'internet.email.safe': GENERATORS.fake_email!,
  'internet.email.free': () => faker.internet.email(),
  'internet.username': GENERATORS.fake_username!,
  'internet.domain.suffix': () => faker.internet.domainSuffix(),
  'internet.ip.any': () => faker.internet.ip(),
  'internet.ip.v4': GENERATORS.fake_ipv4!,
  'internet.ip.v6': GENERATORS.fake_ipv6!,
  'internet.password': () => faker.internet.password({ length: 12 }),
  'address.city': GENERATORS.fake_city!,
  'address.country': GENERATORS.fake_country!,
  'address.street.name': GENERATORS.fake_street!,
  'address.street.address': () => faker.location.streetAddress(),
  'address.zip': GENERATORS.fake_zip!,
  'address.tz': () => faker.location.timeZone(),
  'company.name': GENERATORS.fake_company!,
  'company.buzzword': () => faker.company.buzzNoun(),
  'company.industry': GENERATORS.fake_industry!,
  'company.profession': GENERATORS.fake_profession!,
  'lorem.word': GENERATORS.fake_word!,
  'lorem.sentence': () => faker.lorem.sentence(),
  'lorem.paragraph': () => faker.lorem.paragraph(),
  'phone.number': GENERATORS.fake_phone!,
  'uuid.v4': GENERATORS.fake_uuid!,
};

export const FAKE_KINDS: readonly string[] = Object.keys(KINDS);

// Seeded values must not move with the wall clock: dates are drawn around the frozen clock, or a
// fixed reference when none is set.
const FIXED_REFERENCE = Date.parse('2025-01-01T00:00:00Z');

function seeded(fn: string, generate: Generate): TemplateFunction['call'] {
  return (args: Args, ctx: FunctionContext) => {
    const seed = ctx.seeds.seedFor(fn, args);
    faker.seed(seed);
    const frozen = ctx.frozenClock !== undefined ? Date.parse(ctx.frozenClock) : NaN;
    faker.setDefaultRefDate(Number.isNaN(frozen) ? FIXED_REFERENCE : frozen);
    return generate(args);
  };
}

const PARAMS: Record<string, readonly string[]> = {
  fake_password: ['min', 'max', 'seed'],
  fake_sentence: ['min', 'max', 'seed'],
  fake_paragraph: ['min', 'max', 'seed'],
  fake_int_range: ['min', 'max', 'seed'],
  fake_words: ['count', 'seed'],
  fake_bool: ['ratio', 'seed'],
  fake_string: ['len', 'seed'],
};

export const FAKE_FUNCTIONS: Readonly<Record<string, TemplateFunction>> = {
  ...Object.fromEntries(Object.entries(GENERATORS).map(([name, generate]) => [name, { params: PARAMS[name] ?? ['seed'], call: seeded(name, generate) }])),
  fake: {
    params: ['kind', 'seed'],
    call: (args, ctx) => {
      const kind = requireString('fake', args, 'kind');
      const generate = KINDS[kind];
      if (!generate) throw new TemplateArgError(`fake() does not know kind ${JSON.stringify(kind)}; fake_kinds() lists them: ${FAKE_KINDS.join(', ')}`);
      return seeded('fake', generate)(args, ctx);
    },
  },
  fake_kinds: { params: [], call: () => [...FAKE_KINDS] },
};
