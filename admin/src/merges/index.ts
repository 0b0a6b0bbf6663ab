import ContentCopy from '@mui/icons-material/ContentCopy';
import { lazy } from 'react';

/** Likely duplicates among the accounts the viewer may edit (a page of its own: pairs, not records), and the merges made. */
export const duplicateViews = {
  list: lazy(() => import('./DuplicateList')),
  icon: ContentCopy,
};

/** The merge screen of a pair, and one merge with its Undo; reached from the duplicates page, no menu entry. */
export const mergeViews = {
  create: lazy(() => import('./MergeScreen')),
  show: lazy(() => import('./MergeShow')),
};
