/** Zoom wants `yyyy-MM-ddTHH:mm:ssZ` (no milliseconds). */
export const zoomTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
