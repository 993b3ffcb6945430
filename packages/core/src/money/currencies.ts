import { TenderError } from '../errors.js';

/**
 * ISO 4217 minor-unit exponents for every currency whose exponent is not 2.
 * Kept explicit (not Intl) so the result never depends on the runtime's ICU data.
 */
const EXPONENT_OVERRIDES: Readonly<Record<string, number>> = {
  // zero-decimal
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // three-decimal
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // four-decimal (funds codes)
  CLF: 4,
  UYW: 4,
};

/** Two-decimal currencies, listed so an unknown code is an error rather than a silent 2. */
const TWO_DECIMAL = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
    'GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR ' +
    'LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB ' +
    'PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP ' +
    'SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWG ZWL'
  ).split(' '),
);

export function isKnownCurrency(code: string): boolean {
  const upper = code.toUpperCase();
  return upper in EXPONENT_OVERRIDES || TWO_DECIMAL.has(upper);
}

/** Number of digits after the decimal point in the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(code: string): number {
  const upper = code.toUpperCase();
  const override = EXPONENT_OVERRIDES[upper];
  if (override !== undefined) return override;
  if (TWO_DECIMAL.has(upper)) return 2;
  throw new TenderError('invalid_data', `Unknown currency code "${code}": use an ISO 4217 code such as "usd" or "eur".`);
}
