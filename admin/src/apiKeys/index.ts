import VpnKey from '@mui/icons-material/VpnKey';
import { lazy } from 'react';

export { apiKeyResource } from './apiKeyResource';

export const apiKeyViews = {
  list: lazy(() => import('./ApiKeyList')),
  create: lazy(() => import('./ApiKeyCreate')),
  icon: VpnKey,
  recordRepresentation: 'name',
};
