import { Migration } from '@mikro-orm/migrations';

/**
 * Credentials the inbox stored before providers declared their `credentialFields`, frozen here as they
 * were then: query parameters by provider (registry ids start `pp_{identifier}_`), headers for every row.
 */
const QUERY_CREDENTIALS: Record<string, string[]> = {
  pp_ifthenpay_: ['key', 'chave'],
  pp_easypay_: ['secret'],
};
const HEADER_CREDENTIALS = ['authorization', 'proxy-authorization', 'cookie', 'x-forward-secret'];

const list = (names: string[]) => `array[${names.map((n) => `'${n}'`).join(', ')}]`;

/** `column` without the keys whose (lower-cased, when `caseless`) name is in `names`. */
function scrub(column: 'query' | 'headers', names: string[], caseless: boolean, where: string): string {
  const key = caseless ? 'lower(k)' : 'k';
  return `update "webhook_event" set "${column}" = (
      select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from jsonb_each("${column}") as e(k, v) where ${key} <> all(${list(names)})
    )
    where ${where} and jsonb_typeof("${column}") = 'object'
      and exists (select 1 from jsonb_object_keys("${column}") as k where ${key} = any(${list(names)}));`;
}

/** Drops stored provider credentials (Ifthenpay's anti-phishing key, Easypay's secret…) from the inbox. */
export class Migration20261210000000_scrub_webhook_credentials extends Migration {
  override async up(): Promise<void> {
    for (const [prefix, names] of Object.entries(QUERY_CREDENTIALS)) {
      this.addSql(scrub('query', names, false, `starts_with("provider_id", '${prefix}')`));
    }
    this.addSql(scrub('headers', HEADER_CREDENTIALS, true, 'true'));
  }
}
