import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import { useTranslate } from 'react-admin';

export const STEPS = ['upload', 'mapping', 'report', 'run', 'result'] as const;
export type StepName = (typeof STEPS)[number];

/** Where the wizard is: upload → columns → dry run → run → result. */
export function ImportSteps({ active }: { active: StepName }) {
  const translate = useTranslate();
  const index = STEPS.indexOf(active);
  return (
    <Stepper activeStep={index} alternativeLabel data-testid="import-steps" sx={{ py: 1 }}>
      {STEPS.map((step, at) => (
        <Step key={step} completed={at < index}>
          <StepLabel>{translate(`resources.imports.steps.${step}`)}</StepLabel>
        </Step>
      ))}
    </Stepper>
  );
}
