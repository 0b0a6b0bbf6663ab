import { Contact } from './modules/contact/contact.entity.js';
import { Customer } from './modules/customer/customer.entity.js';
import { Evaluation, EvaluationCycle } from './modules/evaluation/evaluation.entity.js';
import { Interaction } from './modules/interaction/interaction.entity.js';
import { Order, OrderLine, Payment } from './modules/order/order.entity.js';
import { Region } from './modules/region/region.entity.js';
import { User } from './modules/user/user.entity.js';

/** Every entity, registered explicitly (no folder discovery). */
export const entities = [Region, User, Customer, Contact, Interaction, Order, OrderLine, Payment, EvaluationCycle, Evaluation];
