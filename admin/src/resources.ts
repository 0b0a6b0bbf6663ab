import type { ResourceProps } from 'react-admin';
import { apiKeyResource, apiKeyViews } from './apiKeys';
import { assignmentRuleResource, assignmentRuleViews } from './assignment';
import { auditResource, auditViews } from './audit';
import { contactResource, contactViews } from './contacts';
import { customerResource, customerViews } from './customers';
import { evaluationCycleResource, evaluationCycleViews } from './evaluations';
import { importResource, importViews } from './imports';
import { interactionResource, interactionViews } from './interactions';
import { duplicateViews, mergeViews } from './merges';
import { orderResource, orderViews, paymentResource } from './orders';
import type { ResourceAdapter } from './providers/resource';
import { regionResource, regionViews } from './regions';
import { lifecycleSettingsViews, stageChangeResource, stageChangeViews } from './stageChanges';
import { transferResource, transferViews } from './transfers';
import { userResource, userViews } from './users';
import { webhookDeliveryResource, webhookResource, webhookViews } from './webhooks';

/** One resource of the console, named once for both react-admin and the data provider. */
export interface ConsoleResource {
  name: string;
  /** The screens, icon and label; without them the resource is served to pages but has no menu entry. */
  views?: Omit<ResourceProps, 'name'>;
  /** How the data provider reads and writes it; without one it is a page that fetches on its own. */
  adapter?: ResourceAdapter;
}

/** Every resource, in menu order: a new feature is one folder and one line here. */
export const resources: readonly ConsoleResource[] = [
  { name: 'customers', views: customerViews, adapter: customerResource },
  { name: 'contacts', views: contactViews, adapter: contactResource },
  { name: 'interactions', views: interactionViews, adapter: interactionResource },
  { name: 'orders', views: orderViews, adapter: orderResource },
  { name: 'payments', adapter: paymentResource },
  { name: 'imports', views: importViews, adapter: importResource },
  { name: 'duplicateCandidates', views: duplicateViews },
  { name: 'merges', views: mergeViews },
  { name: 'transfers', views: transferViews, adapter: transferResource },
  { name: 'stageChanges', views: stageChangeViews, adapter: stageChangeResource },
  { name: 'evaluationCycles', views: evaluationCycleViews, adapter: evaluationCycleResource },
  { name: 'regions', views: regionViews, adapter: regionResource },
  { name: 'users', views: userViews, adapter: userResource },
  { name: 'assignmentRules', views: assignmentRuleViews, adapter: assignmentRuleResource },
  { name: 'lifecycleSettings', views: lifecycleSettingsViews },
  { name: 'apiKeys', views: apiKeyViews, adapter: apiKeyResource },
  { name: 'webhooks', views: webhookViews, adapter: webhookResource },
  { name: 'webhookDeliveries', adapter: webhookDeliveryResource },
  { name: 'auditEvents', views: auditViews, adapter: auditResource },
];

/** The data provider's map from resource name to adapter. */
export function resourceAdapters(list: readonly ConsoleResource[] = resources): Record<string, ResourceAdapter> {
  return Object.fromEntries(list.flatMap(({ name, adapter }) => (adapter ? [[name, adapter] as const] : [])));
}
