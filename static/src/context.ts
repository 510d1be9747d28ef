// What the host tells the app about where it runs: the module, the site and
// the module's extension context (issue, project), read once at start.
import { createContext, useContext } from 'react';
import { z } from 'zod/mini';

export const ForgeContextSchema = z.looseObject({
  moduleKey: z.string(),
  siteUrl: z.optional(z.string()),
  cloudId: z.optional(z.string()),
  accountId: z.optional(z.string()),
  locale: z.optional(z.string()),
  extension: z.optional(
    z.looseObject({
      type: z.optional(z.string()),
      issue: z.optional(z.looseObject({ key: z.string(), id: z.optional(z.union([z.string(), z.number()])) })),
      project: z.optional(
        z.looseObject({ key: z.string(), id: z.optional(z.union([z.string(), z.number()])), name: z.optional(z.string()) }),
      ),
    }),
  ),
  theme: z.optional(z.nullable(z.looseObject({ colorMode: z.optional(z.string()) }))),
});
export type ForgeContext = z.infer<typeof ForgeContextSchema>;

export const ForgeContextReact = createContext<ForgeContext | null>(null);

export function useForgeContext(): ForgeContext {
  const context = useContext(ForgeContextReact);
  if (!context) throw new Error('useForgeContext outside the app root');
  return context;
}
