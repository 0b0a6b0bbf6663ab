import ContentCopy from '@mui/icons-material/ContentCopy';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import { useState, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';

/**
 * A secret the server shows once (an API key's, a webhook's). The dialog has no onClose: neither
 * Escape nor a click outside dismisses it. The secret lives only in this dialog's props: it is
 * not cached, not in the URL, and gone when the dialog closes.
 *
 * `id` names the field (and its test id); `messages` is the catalogue prefix holding title, once,
 * warning, label, copy, copied and done.
 */
export function SecretOnceDialog({
  id,
  messages,
  titleArgs,
  secret,
  onDone,
  children,
}: {
  id: string;
  messages: string;
  titleArgs: Record<string, unknown>;
  secret: string;
  onDone: () => void;
  /** Shown under the field: how to use the secret. */
  children?: ReactNode;
}) {
  const translate = useTranslate();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard (insecure origin): the text field is selected for a manual copy.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  };
  return (
    <Dialog open fullWidth maxWidth="sm" aria-labelledby={`${id}-title`}>
      <DialogTitle id={`${id}-title`}>{translate(`${messages}.title`, titleArgs)}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }} data-testid={`${id}-warning`}>
          <AlertTitle>{translate(`${messages}.once`)}</AlertTitle>
          {translate(`${messages}.warning`)}
        </Alert>
        <TextField
          id={id}
          label={translate(`${messages}.label`)}
          value={secret}
          fullWidth
          onFocus={(event) => event.target.select()}
          slotProps={{
            htmlInput: { readOnly: true, spellCheck: false, 'data-testid': id, style: { fontFamily: 'monospace' } },
            input: {
              endAdornment: (
                <InputAdornment position="end">
                  <Button size="small" startIcon={<ContentCopy />} onClick={() => void copy()}>
                    {translate(copied ? `${messages}.copied` : `${messages}.copy`)}
                  </Button>
                </InputAdornment>
              ),
            },
          }}
        />
        {children}
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onDone}>
          {translate(`${messages}.done`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
