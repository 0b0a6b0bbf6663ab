import UploadFile from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { Title, useNotify, useRedirect, useTranslate } from 'react-admin';
import { ImportSteps } from './ImportSteps';
import { ACCEPTED, isAcceptedFile, uploadImport } from './upload';

type State = { kind: 'idle' } | { kind: 'uploading'; name: string; percent: number } | { kind: 'refused'; message: string };

/** Step one of the wizard: a file picked or dropped, sent with its progress; the import opens once stored. */
export function ImportUpload() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);

  const send = (file: File) => {
    if (!isAcceptedFile(file)) {
      setState({ kind: 'refused', message: translate('resources.imports.upload.wrongType', { name: file.name }) });
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'uploading', name: file.name, percent: 0 });
    uploadImport(file, {
      signal: controller.signal,
      onProgress: ({ loaded, total }) => setState({ kind: 'uploading', name: file.name, percent: Math.round((100 * loaded) / total) }),
    }).then(
      (id) => {
        void queryClient.invalidateQueries({ queryKey: ['imports'] });
        notify('resources.imports.upload.uploaded', { type: 'info' });
        redirect('show', 'imports', id);
      },
      (error: Error) => {
        if (error.name === 'AbortError') setState({ kind: 'idle' });
        else setState({ kind: 'refused', message: translate(error.message, { _: error.message }) });
      },
    );
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && state.kind !== 'uploading') send(file);
  };

  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, minWidth: 0 }}>
      <Title title="resources.imports.upload.title" />
      <ImportSteps active="upload" />
      <Card>
        <CardContent>
          <Typography variant="subtitle1">{translate('resources.imports.upload.title')}</Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('resources.imports.upload.help')}
          </Typography>
          <Box
            data-testid="import-dropzone"
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            sx={{
              border: 2,
              borderStyle: 'dashed',
              borderColor: dragging ? 'primary.main' : 'divider',
              bgcolor: dragging ? 'action.hover' : 'transparent',
              borderRadius: 2,
              p: { xs: 3, md: 5 },
              textAlign: 'center',
            }}
          >
            {state.kind === 'uploading' ? (
              <Stack spacing={1} role="status" aria-live="polite" sx={{ maxWidth: 480, mx: 'auto' }}>
                <Typography variant="body2">
                  {translate('resources.imports.upload.uploading', { name: state.name, percent: state.percent })}
                </Typography>
                <LinearProgress variant="determinate" value={state.percent} aria-label={state.name} />
                <Box>
                  <Button size="small" onClick={() => abort.current?.abort()}>
                    {translate('resources.imports.upload.cancel')}
                  </Button>
                </Box>
              </Stack>
            ) : (
              <Stack spacing={1} sx={{ alignItems: 'center' }}>
                <UploadFile fontSize="large" color="action" />
                <Typography variant="body1">
                  {translate(dragging ? 'resources.imports.upload.dropActive' : 'resources.imports.upload.drop')}
                </Typography>
                <Button variant="contained" onClick={() => input.current?.click()}>
                  {translate('resources.imports.upload.choose')}
                </Button>
              </Stack>
            )}
            <input
              ref={input}
              type="file"
              accept={ACCEPTED}
              hidden
              name="file"
              data-testid="import-file"
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (file) send(file);
              }}
            />
          </Box>
          {state.kind === 'refused' ? (
            <Alert severity="error" sx={{ mt: 2 }} data-testid="import-upload-error">
              {state.message}
            </Alert>
          ) : null}
        </CardContent>
      </Card>
    </Box>
  );
}

export default ImportUpload;
