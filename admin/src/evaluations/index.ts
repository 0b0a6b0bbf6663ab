import Assessment from '@mui/icons-material/Assessment';
import { lazy } from 'react';

export { evaluationCycleResource } from './evaluationCycleResource';

export const evaluationCycleViews = {
  list: lazy(() => import('./CycleList')),
  show: lazy(() => import('./CycleShow')),
  edit: lazy(() => import('./CycleEdit')),
  create: lazy(() => import('./CycleCreate')),
  icon: Assessment,
  recordRepresentation: 'name',
};
