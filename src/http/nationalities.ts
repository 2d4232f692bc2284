import type { Locale } from './i18n.js';

/**
 * ISO 3166-1 codes as `alpha-2:alpha-3`. Passports and travel documents state nationality in alpha-3 (ICAO 9303),
 * which is what the login and registration forms submit (Decision 34 Art 4.2.dd); alpha-2 is only needed to ask
 * Intl.DisplayNames for the country's name in the page language.
 */
const ISO_3166 =
  'AD:AND AE:ARE AF:AFG AG:ATG AI:AIA AL:ALB AM:ARM AO:AGO AQ:ATA AR:ARG AS:ASM AT:AUT AU:AUS AW:ABW AX:ALA AZ:AZE ' +
  'BA:BIH BB:BRB BD:BGD BE:BEL BF:BFA BG:BGR BH:BHR BI:BDI BJ:BEN BL:BLM BM:BMU BN:BRN BO:BOL BQ:BES BR:BRA BS:BHS ' +
  'BT:BTN BV:BVT BW:BWA BY:BLR BZ:BLZ CA:CAN CC:CCK CD:COD CF:CAF CG:COG CH:CHE CI:CIV CK:COK CL:CHL CM:CMR CN:CHN ' +
  'CO:COL CR:CRI CU:CUB CV:CPV CW:CUW CX:CXR CY:CYP CZ:CZE DE:DEU DJ:DJI DK:DNK DM:DMA DO:DOM DZ:DZA EC:ECU EE:EST ' +
  'EG:EGY EH:ESH ER:ERI ES:ESP ET:ETH FI:FIN FJ:FJI FK:FLK FM:FSM FO:FRO FR:FRA GA:GAB GB:GBR GD:GRD GE:GEO GF:GUF ' +
  'GG:GGY GH:GHA GI:GIB GL:GRL GM:GMB GN:GIN GP:GLP GQ:GNQ GR:GRC GS:SGS GT:GTM GU:GUM GW:GNB GY:GUY HK:HKG HM:HMD ' +
  'HN:HND HR:HRV HT:HTI HU:HUN ID:IDN IE:IRL IL:ISR IM:IMN IN:IND IO:IOT IQ:IRQ IR:IRN IS:ISL IT:ITA JE:JEY JM:JAM ' +
  'JO:JOR JP:JPN KE:KEN KG:KGZ KH:KHM KI:KIR KM:COM KN:KNA KP:PRK KR:KOR KW:KWT KY:CYM KZ:KAZ LA:LAO LB:LBN LC:LCA ' +
  'LI:LIE LK:LKA LR:LBR LS:LSO LT:LTU LU:LUX LV:LVA LY:LBY MA:MAR MC:MCO MD:MDA ME:MNE MF:MAF MG:MDG MH:MHL MK:MKD ' +
  'ML:MLI MM:MMR MN:MNG MO:MAC MP:MNP MQ:MTQ MR:MRT MS:MSR MT:MLT MU:MUS MV:MDV MW:MWI MX:MEX MY:MYS MZ:MOZ NA:NAM ' +
  'NC:NCL NE:NER NF:NFK NG:NGA NI:NIC NL:NLD NO:NOR NP:NPL NR:NRU NU:NIU NZ:NZL OM:OMN PA:PAN PE:PER PF:PYF PG:PNG ' +
  'PH:PHL PK:PAK PL:POL PM:SPM PN:PCN PR:PRI PS:PSE PT:PRT PW:PLW PY:PRY QA:QAT RE:REU RO:ROU RS:SRB RU:RUS RW:RWA ' +
  'SA:SAU SB:SLB SC:SYC SD:SDN SE:SWE SG:SGP SH:SHN SI:SVN SJ:SJM SK:SVK SL:SLE SM:SMR SN:SEN SO:SOM SR:SUR SS:SSD ' +
  'ST:STP SV:SLV SX:SXM SY:SYR SZ:SWZ TC:TCA TD:TCD TF:ATF TG:TGO TH:THA TJ:TJK TK:TKL TL:TLS TM:TKM TN:TUN TO:TON ' +
  'TR:TUR TT:TTO TV:TUV TW:TWN TZ:TZA UA:UKR UG:UGA UM:UMI US:USA UY:URY UZ:UZB VA:VAT VC:VCT VE:VEN VG:VGB VI:VIR ' +
  'VN:VNM VU:VUT WF:WLF WS:WSM YE:YEM YT:MYT ZA:ZAF ZM:ZMB ZW:ZWE';

/**
 * Not offered as a nationality: Vietnam (citizens sign in with their personal ID number, Decision 34 Art 4.1) and
 * territories without a permanent population, whose "nationality" no passport states.
 */
const NOT_A_NATIONALITY = new Set(['VNM', 'ATA', 'BVT', 'HMD', 'UMI', 'ATF', 'SGS', 'IOT']);

/** ICAO 9303 code for a stateless person's travel document (Art 4.2.a: "international travel document"). */
export const STATELESS = 'XXA';

const ALPHA2_BY_ALPHA3 = new Map(
  ISO_3166.split(' ')
    .map((pair) => pair.split(':') as [string, string])
    .filter(([, alpha3]) => !NOT_A_NATIONALITY.has(alpha3))
    .map(([alpha2, alpha3]) => [alpha3, alpha2] as const),
);

/** Every nationality code the forms offer (ISO 3166-1 alpha-3, plus XXA); DTOs can validate against it. */
export const NATIONALITY_CODES: readonly string[] = [...ALPHA2_BY_ALPHA3.keys(), STATELESS];

export interface NationalityOption {
  code: string;
  name: string;
}

const cache = new Map<string, readonly NationalityOption[]>();

/**
 * The nationality select's options, named and sorted in the page language. `statelessName` is the catalogue's
 * wording for XXA, which Intl does not know.
 */
export function nationalityOptions(locale: Locale, statelessName: string): readonly NationalityOption[] {
  const cacheKey = `${locale}\u0000${statelessName}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  const collator = new Intl.Collator(locale);
  const countries = [...ALPHA2_BY_ALPHA3]
    .map(([code, alpha2]) => ({ code, name: names.of(alpha2) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name));
  // The stateless entry goes last so that it is not mistaken for a country in an alphabetical list.
  const options = [...countries, { code: STATELESS, name: statelessName }];
  cache.set(cacheKey, options);
  return options;
}
