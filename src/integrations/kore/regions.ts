import { KORE_REGIONS, type KoreRegion } from '../../domain/kore-regions';

export interface KoreEndpointOverrides {
  /** ONBOARD_KORE_BASE_URL: one host for every region (a simulator, a private cloud). */
  baseUrl?: string;
  /** ONBOARD_KORE_REGION_URLS: per-region corrections of the table. */
  regionUrls?: Record<string, string>;
}

/** The API host for a tenant's region, after configured overrides. */
export function koreBaseUrl(region: KoreRegion | string, overrides: KoreEndpointOverrides = {}): string {
  if (overrides.baseUrl) return overrides.baseUrl;
  const fromConfig = overrides.regionUrls?.[region];
  if (fromConfig) return fromConfig;
  const known = (KORE_REGIONS as Record<string, { baseUrl: string }>)[region];
  if (!known) {
    throw new RangeError(`unknown Kore.ai region "${region}" (known: ${Object.keys(KORE_REGIONS).join(', ')})`);
  }
  return known.baseUrl;
}
