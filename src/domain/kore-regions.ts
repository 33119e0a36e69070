/**
 * Kore.ai environments a tenant's app can live on. The same API paths serve every host; the host is
 * where the account lives. `confirmed: false` marks hosts seen only in public code, not in Kore's
 * docs: ONBOARD_KORE_REGION_URLS can correct them without a release. Pure data: the workflow's
 * instruction renderer shows the base URL to the person creating the Zoom connector.
 */
export const KORE_REGIONS = {
  us: { label: 'United States', baseUrl: 'https://platform.kore.ai', confirmed: true },
  'us-legacy': { label: 'United States (bots.kore.ai)', baseUrl: 'https://bots.kore.ai', confirmed: true },
  jp: { label: 'Japan', baseUrl: 'https://jp-platform.kore.ai', confirmed: true },
  de: { label: 'Germany', baseUrl: 'https://de-platform.kore.ai', confirmed: true },
  eu: { label: 'Europe', baseUrl: 'https://eu-bots.kore.ai', confirmed: false },
  in: { label: 'India', baseUrl: 'https://ind-platform.kore.ai', confirmed: false },
} as const;

export type KoreRegion = keyof typeof KORE_REGIONS;
export const KORE_REGION_IDS = Object.keys(KORE_REGIONS) as [KoreRegion, ...KoreRegion[]];
