import { AppError } from '../domain/errors';
import { translateGroovy, TranslationTooCostly } from '../rules/groovy';
import type { Handlers } from './define';

// The UI's API for moving Exalate rules over: a Groovy rule in, its
// JavaScript translation and what could not be translated out. Nothing is
// stored; the admin reviews the translation and publishes it as usual.

export const groovyHandlers: Handlers<'translateGroovy'> = {
  translateGroovy: async (call) => {
    try {
      const { script, unsupported } = translateGroovy({ source: call.input.source, direction: call.input.direction });
      return { ok: true, script, unsupported: unsupported.map((u) => ({ ...u })) };
    } catch (e) {
      // A pathological input is refused within the translation's own budget, never left to hold the invocation.
      if (e instanceof TranslationTooCostly) throw new AppError('BadInput', `${e.message} Translate the script in parts.`);
      throw e;
    }
  },
};
