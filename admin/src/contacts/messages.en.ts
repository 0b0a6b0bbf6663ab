/** English messages of the contact screens; messages.zh.ts mirrors every key (typed by ContactMessages). */
export const contactsEn = {
  contacts: {
    name: 'Contact |||| Contacts',
    notifications: {
      created: 'Contact added',
      updated: 'Contact saved',
      deleted: 'Contact deleted',
    },
    fields: {
      q: 'Search',
      name: 'Name',
      title: 'Title',
      decisionRole: 'Decision role',
      email: 'Email',
      mobile: 'Mobile',
      phone: 'Direct line',
      preferredChannel: 'Preferred channel',
      preferredFrequency: 'Contact frequency',
      consent: 'Marketing consent',
      imHandles: 'IM handles',
      network: 'Network',
      handle: 'Handle',
      customer: 'Customer',
      customerId: 'Customer',
      createdAt: 'Created',
      updatedAt: 'Last updated',
    },
  },
};

export type ContactMessages = typeof contactsEn;
