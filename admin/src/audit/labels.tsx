import { useTranslate } from 'react-admin';
import { AUDIT_ACTIONS, isAuditAction } from './actions';

export function actionKey(action: string): string {
  return isAuditAction(action) ? `resources.auditEvents.actions.${action}` : action;
}

/** Choices for the action filter; react-admin translates the names. */
export const AUDIT_ACTION_CHOICES = AUDIT_ACTIONS.map((action) => ({ id: action, name: actionKey(action) }));

/** An action's label; one the console does not know yet shows as the API wrote it. */
export function AuditActionText({ action }: { action: string }) {
  const translate = useTranslate();
  return <>{translate(actionKey(action), { _: action })}</>;
}
