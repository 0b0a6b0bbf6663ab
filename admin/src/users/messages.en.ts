/** English messages of the user screens; messages.zh.ts mirrors every key (typed by UserMessages). */
export const usersEn = {
  users: {
    name: 'User |||| Users',
    fields: {
      q: 'Search',
      name: 'Name',
      email: 'Email',
      role: 'Role',
      active: 'Active',
      password: 'Password',
      newPassword: 'New password',
      territories: 'Territories',
      territoryIds: 'Territories',
      managedRegions: 'Managed regions',
      managedRegionIds: 'Managed regions',
      territoryId: 'Territory',
      createdAt: 'Created',
      updatedAt: 'Last updated',
    },
    actions: {
      deactivate: 'Deactivate',
      activate: 'Reactivate',
    },
    help: {
      password: 'At least 8 characters. Leave empty to keep the current one.',
      territories: 'Reps: the territories they work in.',
      managedRegions: 'Managers: the regions they oversee, with everything below.',
      deactivate: 'Deactivated users cannot sign in; their sessions end at once.',
    },
    notifications: {
      created: 'User created',
      updated: 'User saved',
      deactivated: 'User deactivated',
      activated: 'User reactivated',
    },
  },
};

export type UserMessages = typeof usersEn;
