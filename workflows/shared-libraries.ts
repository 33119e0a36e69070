import { z } from 'zod';

/**
 * Libraries the worker evaluates once and shares with every workflow (the SDK's preloadModules; see
 * src/temporal/bundle.ts). The SDK freezes shared modules, so zod's settings that it would
 * otherwise fill in lazily on first use (English messages, the cycle memoizer, the eval check) are set here, while
 * they can still be written. Exported as used, since webpack drops a bare import of zod (it
 * declares itself free of side effects).
 */
z.config(z.locales.en());
z.config({ memoizer: z.memoizer() });
// zod's one module-level lazy value (may this sandbox compile code?), decided now while writable.
void z.util.allowsEval.value;

export { z };
