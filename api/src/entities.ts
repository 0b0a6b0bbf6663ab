import { IdempotencyKey } from './modules/api-key/idempotency-key.entity.js';
import { ApiKey } from './modules/api-key/api-key.entity.js';
import { AssignmentRule, AssignmentRuleSet, Realignment } from './modules/assignment/assignment.entity.js';
import { AuditEvent } from './modules/audit/audit.entity.js';
import { ChangeEvent, ChangeFeedHorizon } from './modules/change/change-event.entity.js';
import { Contact } from './modules/contact/contact.entity.js';
import { CustomerDirectoryEntry } from './modules/customer/customer-directory.entity.js';
import { CustomerIdentity } from './modules/customer/customer-identity.entity.js';
import { Customer } from './modules/customer/customer.entity.js';
import { Evaluation, EvaluationCycle, EvaluationExportLine } from './modules/evaluation/evaluation.entity.js';
import { EvaluationRun } from './modules/evaluation/evaluation-run.entity.js';
import { ImportJob, ImportKey, ImportRow, ImportTemplate } from './modules/import/import.entity.js';
import { Interaction } from './modules/interaction/interaction.entity.js';
import {
  LifecycleAlert,
  LifecycleChangeRequest,
  LifecycleSetting,
  LifecycleTransition,
  StageSla,
} from './modules/lifecycle/lifecycle.entity.js';
import { MergeChild, MergeMember, MergeRecord } from './modules/merge/merge.entity.js';
import { Notification } from './modules/notification/notification.entity.js';
import { Order, OrderLine, OrderNumberCounter, Payment } from './modules/order/order.entity.js';
import { Region } from './modules/region/region.entity.js';
import { SalesTarget } from './modules/target/target.entity.js';
import { OwnershipPeriod } from './modules/transfer/ownership-history.entity.js';
import { TransferRequest } from './modules/transfer/transfer.entity.js';
import { User } from './modules/user/user.entity.js';
import { Webhook, WebhookAttempt, WebhookDelivery } from './modules/webhook/webhook.entity.js';

/** Every entity, registered explicitly (no folder discovery). */
export const entities = [
  Region,
  User,
  Customer,
  CustomerDirectoryEntry,
  CustomerIdentity,
  Contact,
  Interaction,
  Order,
  OrderLine,
  Payment,
  OrderNumberCounter,
  EvaluationCycle,
  Evaluation,
  EvaluationExportLine,
  ApiKey,
  TransferRequest,
  OwnershipPeriod,
  AuditEvent,
  IdempotencyKey,
  ChangeEvent,
  ChangeFeedHorizon,
  Notification,
  EvaluationRun,
  LifecycleTransition,
  LifecycleChangeRequest,
  LifecycleAlert,
  StageSla,
  LifecycleSetting,
  SalesTarget,
  MergeRecord,
  MergeMember,
  MergeChild,
  Webhook,
  WebhookDelivery,
  WebhookAttempt,
  AssignmentRule,
  AssignmentRuleSet,
  Realignment,
  ImportJob,
  ImportRow,
  ImportKey,
  ImportTemplate,
];
