import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer, Reach, TerritoryAccess } from './common/access/index.js';
import type { BackgroundWork } from './common/background.js';
import type { TopicPubSub } from './common/graphql/pubsub.js';
import { UnauthenticatedError } from './common/errors/errors.js';
import { Loaders, type Guard } from './common/orm/loaders.js';
import { maskContact, maskCustomer } from './modules/access/access.masks.js';
import { AssignmentService } from './modules/assignment/assignment.service.js';
import { ApiKeyService } from './modules/api-key/api-key.service.js';
import { AuditService } from './modules/audit/audit.service.js';
import { ChangeService } from './modules/change/change.service.js';
import { Contact } from './modules/contact/contact.entity.js';
import type { ContactRow } from './modules/contact/contact.rows.js';
import { ContactService } from './modules/contact/contact.service.js';
import { Customer } from './modules/customer/customer.entity.js';
import type { CustomerRow } from './modules/customer/customer.rows.js';
import { CustomerService } from './modules/customer/customer.service.js';
import { EvaluationCycleService, EvaluationResultService } from './modules/evaluation/evaluation-cycle.service.js';
import { ImportService } from './modules/import/import.service.js';
import { InteractionService } from './modules/interaction/interaction.service.js';
import { MergeService } from './modules/merge/merge.service.js';
import { LifecycleService } from './modules/lifecycle/lifecycle.service.js';
import { NotificationService } from './modules/notification/notification.service.js';
import { OrderService } from './modules/order/order.service.js';
import { RegionService } from './modules/region/region.service.js';
import { TargetService } from './modules/target/target.service.js';
import { ReassignmentService } from './modules/transfer/reassignment.service.js';
import { TransferService } from './modules/transfer/transfer.service.js';
import { UserService } from './modules/user/user.service.js';
import type { Config } from './config.js';
import type { Logger } from 'pino';

/**
 * What a request's services act for and through, given to each when the request's context is
 * built, so no resolver threads the viewer, its reach or the territory setting by hand.
 */
export interface RequestScope {
  /** Bound to the request's transaction, in which row-level security applies. */
  readonly em: EntityManager;
  /** The signed-in viewer; UNAUTHENTICATED on a request without one (the auth checker runs first). */
  readonly viewer: Viewer;
  readonly reach: Reach;
  /** The deployment's TERRITORY_ACCESS, which every write decision on an account reads. */
  readonly territoryAccess: TerritoryAccess;
  readonly loaders: Loaders;
}

/** The module services of one request, each bound to its scope (the MikroORM guide's `Services`). */
export interface Services {
  apiKeys: ApiKeyService;
  assignment: AssignmentService;
  audit: AuditService;
  changes: ChangeService;
  contacts: ContactService;
  customers: CustomerService;
  evaluationCycles: EvaluationCycleService;
  evaluationResults: EvaluationResultService;
  imports: ImportService;
  interactions: InteractionService;
  lifecycle: LifecycleService;
  merges: MergeService;
  notifications: NotificationService;
  orders: OrderService;
  reassignments: ReassignmentService;
  regions: RegionService;
  targets: TargetService;
  transfers: TransferService;
  users: UserService;
}

/** Built once per request: a fresh EntityManager, the viewer, the request's loaders and services. */
export interface Context {
  requestId: string;
  /** Bound to the request's transaction, in which row-level security applies. */
  em: EntityManager;
  viewer: Viewer | null;
  /** The viewer's reach, as set for row-level security. */
  reach: Reach;
  /** The deployment's TERRITORY_ACCESS (`config.territoryAccess`). */
  territoryAccess: TerritoryAccess;
  loaders: Loaders;
  services: Services;
  config: Config;
  logger: Logger;
  /** Where work that outlives the request is started (awaited on shutdown). */
  background: BackgroundWork;
}

/**
 * The context of one GraphQL subscription over WebSocket (common/http/live.ts). It outlives any
 * transaction, so it holds no EntityManager: each event is read through `fresh`, a request
 * transaction of its own opened with the socket's token, as an HTTP request would be.
 */
export interface SubscriptionContext {
  requestId: string;
  /** The viewer the socket was opened for (re-checked by every `fresh` and periodically). */
  viewer: Viewer | null;
  /** Wake-ups, routed by topic and id. */
  pubSub: TopicPubSub;
  /**
   * Runs `work` in a new request transaction, opened with the socket's token (so row-level
   * security applies as for that viewer); when the token no longer names the same active user,
   * closes the socket (4401) and throws UNAUTHENTICATED.
   */
  fresh<T>(work: (context: Context) => Promise<T>): Promise<T>;
}

function servicesFor(scope: RequestScope, config: Config): Services {
  const reassignments = new ReassignmentService(scope);
  return {
    apiKeys: new ApiKeyService(scope),
    assignment: new AssignmentService(scope, reassignments),
    audit: new AuditService(scope),
    changes: new ChangeService(scope),
    contacts: new ContactService(scope),
    customers: new CustomerService(scope),
    evaluationCycles: new EvaluationCycleService(scope),
    evaluationResults: new EvaluationResultService(scope),
    imports: new ImportService(scope),
    interactions: new InteractionService(scope),
    lifecycle: new LifecycleService(scope),
    merges: new MergeService(scope, config.mergeUndoHours),
    notifications: new NotificationService(scope),
    orders: new OrderService(scope),
    reassignments,
    regions: new RegionService(scope),
    targets: new TargetService(scope),
    transfers: new TransferService(scope),
    users: new UserService(scope),
  };
}

export function createContext(parts: Omit<Context, 'loaders' | 'services' | 'territoryAccess'>): Context {
  const { em, viewer, reach, config } = parts;
  const { territoryAccess } = config;
  // The loaders read every column of the entity (selectList), so a row of the entity is its row type.
  const guards = new Map<string, Guard>([
    [Customer.name, (row) => maskCustomer(row as CustomerRow, viewer, territoryAccess)],
    [Contact.name, (row) => maskContact(row as ContactRow, viewer)],
  ]);
  const loaders = new Loaders(em, guards);
  const scope: RequestScope = {
    em,
    reach,
    territoryAccess,
    loaders,
    get viewer() {
      if (!viewer) throw new UnauthenticatedError();
      return viewer;
    },
  };
  return { ...parts, territoryAccess, loaders, services: servicesFor(scope, config) };
}

/** The viewer of a request that passed the auth checker. */
export function viewerOf(context: Context): Viewer {
  if (!context.viewer) throw new UnauthenticatedError();
  return context.viewer;
}
