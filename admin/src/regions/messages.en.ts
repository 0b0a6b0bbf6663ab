/** English messages of the region screens; messages.zh.ts mirrors every key (typed by RegionMessages). */
export const regionsEn = {
  regions: {
    name: 'Region |||| Regions & territories',
    notifications: {
      created: 'Region created',
      updated: 'Region saved',
      deleted: 'Region deleted',
    },
    fields: {
      name: 'Name',
      nameZh: 'Chinese name',
      code: 'Code',
      kind: 'Level',
      keyCity: 'Key city',
      path: 'Path',
      parent: 'Parent',
      parentId: 'Parent',
    },
    tree: {
      title: 'Regions & territories',
      addRegion: 'New region',
      addChild: 'Add below',
      rename: 'Rename',
      move: 'Move',
      delete: 'Delete',
      expandAll: 'Expand all',
      collapseAll: 'Collapse all',
      empty: 'No regions yet. Start with a top-level region.',
      createTitle: 'New %{kind}',
      createBelow: 'New %{kind} below %{parent}',
      renameTitle: 'Rename %{name}',
      moveTitle: 'Move %{name}',
      moveHelp: 'Everything below it moves too.',
      deleteTitle: 'Delete %{name}?',
      deleteHelp: 'Only an empty node (no sub-regions, no customers) can be deleted.',
      keyCityOn: 'Marked as key city',
      keyCityOff: 'No longer a key city',
      saved: 'Saved',
      search: 'Find in tree',
    },
  },
};

export type RegionMessages = typeof regionsEn;
