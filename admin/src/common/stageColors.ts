import type { LifecycleStage } from '../../../schema/generated/graphql';

/** The stage chips' colours; a module of its own so that the page's entry (the customer list's pre-paint) takes only these. */
export const STAGE_COLORS: Record<LifecycleStage, string> = {
  POTENTIAL: '#90a4ae',
  INTENTION: '#42a5f5',
  FIRST_PURCHASE: '#66bb6a',
  REPEAT: '#2e7d32',
  DORMANT: '#ffa726',
  LOST: '#e53935',
};
