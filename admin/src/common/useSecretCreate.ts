import { useCallback, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { GraphQLRequestError } from '../providers/graphqlClient';

const MISSING = '\u0000missing';

/**
 * A create form whose answer carries a secret shown once (an API key, a webhook's signing secret).
 * `send` runs the create mutation itself — never react-admin's `create`, so the answer lands in no
 * cache — and returns what the dialog shows; `created` holds it until `clear()`.
 *
 * A BAD_USER_INPUT on one of `inputs` is returned to the form, so it shows under that input; with
 * `errors`, a catalogue prefix, `<errors>.<field>` is preferred to the generic server message when
 * the catalogue has it. Any other failure (or a field the form has no input for) is notified.
 */
export function useSecretCreate<T>({
  send,
  inputs,
  errors,
}: {
  send: (values: Record<string, any>) => Promise<T>;
  inputs: readonly string[];
  errors?: string;
}): { submit: (values: Record<string, any>) => Promise<Record<string, string> | undefined>; created: T | null; clear: () => void } {
  const notify = useNotify();
  const translate = useTranslate();
  const [created, setCreated] = useState<T | null>(null);
  const submit = useCallback(
    async (values: Record<string, any>) => {
      try {
        setCreated(await send(values));
        return undefined;
      } catch (error) {
        const fieldErrors = error instanceof GraphQLRequestError ? (error.body as { errors?: Record<string, string> })?.errors : undefined;
        const onInputs = Object.entries(fieldErrors ?? {}).filter(([field]) => inputs.includes(field));
        if (onInputs.length)
          return Object.fromEntries(
            onInputs.map(([field, message]) => {
              const own = errors ? `${errors}.${field}` : null;
              return [field, own && translate(own, { _: MISSING }) !== MISSING ? own : message];
            }),
          );
        const message = error instanceof Error ? error.message : 'ra.notification.http_error';
        notify(message, { type: 'error', messageArgs: { _: message } });
        return undefined;
      }
    },
    [send, inputs, errors, notify, translate],
  );
  const clear = useCallback(() => setCreated(null), []);
  return { submit, created, clear };
}
