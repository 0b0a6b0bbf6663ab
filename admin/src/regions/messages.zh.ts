import type { RegionMessages } from './messages.en';

/** Chinese messages of the region screens; loaded with the Chinese catalogue only. */
export const regionsZh: RegionMessages = {
  regions: {
    name: '区域管理',
    notifications: {
      created: '区域已创建',
      updated: '区域已保存',
      deleted: '区域已删除',
    },
    fields: {
      name: '名称',
      nameZh: '中文名称',
      code: '代码',
      kind: '层级',
      keyCity: '重点城市',
      path: '路径',
      parent: '上级',
      parentId: '上级',
    },
    tree: {
      title: '区域管理',
      addRegion: '新建大区',
      addChild: '添加下级',
      rename: '重命名',
      move: '移动',
      delete: '删除',
      expandAll: '全部展开',
      collapseAll: '全部折叠',
      empty: '还没有区域。请先新建一个大区。',
      createTitle: '新建%{kind}',
      createBelow: '在%{parent}下新建%{kind}',
      renameTitle: '重命名%{name}',
      moveTitle: '移动%{name}',
      moveHelp: '其下所有节点将一起移动。',
      deleteTitle: '删除%{name}？',
      deleteHelp: '只有空节点（没有下级、没有客户）才能删除。',
      keyCityOn: '已标记为重点城市',
      keyCityOff: '已取消重点城市',
      saved: '已保存',
      search: '在树中查找',
    },
  },
};
