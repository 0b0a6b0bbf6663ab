/** The demo's territory tree: the seven regions with real provinces and cities (README: region → province → city). */

/** [code, English name, Chinese name, key city, administrative division code, postal code, phone area code] */
export type CityRow = readonly [string, string, string, 0 | 1, string, string, string];
export interface ProvinceDef {
  code: string;
  name: string;
  nameZh: string;
  /** Short Chinese name used in company names (浙江, 广西). */
  short: string;
  /** Municipalities (北京, 上海…): their territories are districts. */
  municipality?: boolean;
  cities: readonly CityRow[];
}
export interface RegionDef {
  code: string;
  name: string;
  nameZh: string;
  /** Relative share of the customers. */
  weight: number;
  provinces: readonly ProvinceDef[];
}

export const REGIONS: readonly RegionDef[] = [
  {
    code: 'NE',
    name: 'Northeast',
    nameZh: '东北',
    weight: 0.7,
    provinces: [
      {
        code: 'LN',
        name: 'Liaoning',
        nameZh: '辽宁省',
        short: '辽宁',
        cities: [
          ['SY', 'Shenyang', '沈阳市', 1, '210100', '110000', '024'],
          ['DL', 'Dalian', '大连市', 1, '210200', '116000', '0411'],
          ['AS', 'Anshan', '鞍山市', 0, '210300', '114000', '0412'],
        ],
      },
      {
        code: 'JL',
        name: 'Jilin',
        nameZh: '吉林省',
        short: '吉林',
        cities: [
          ['CC', 'Changchun', '长春市', 1, '220100', '130000', '0431'],
          ['JLS', 'Jilin City', '吉林市', 0, '220200', '132000', '0432'],
        ],
      },
      {
        code: 'HL',
        name: 'Heilongjiang',
        nameZh: '黑龙江省',
        short: '黑龙江',
        cities: [
          ['HRB', 'Harbin', '哈尔滨市', 1, '230100', '150000', '0451'],
          ['DQ', 'Daqing', '大庆市', 0, '230600', '163000', '0459'],
        ],
      },
    ],
  },
  {
    code: 'NORTH',
    name: 'North',
    nameZh: '华北',
    weight: 1.2,
    provinces: [
      {
        code: 'BJ',
        name: 'Beijing',
        nameZh: '北京市',
        short: '北京',
        municipality: true,
        cities: [
          ['HD', 'Haidian District', '海淀区', 1, '110108', '100080', '010'],
          ['CY', 'Chaoyang District', '朝阳区', 1, '110105', '100020', '010'],
          ['DC', 'Dongcheng District', '东城区', 0, '110101', '100010', '010'],
        ],
      },
      {
        code: 'TJ',
        name: 'Tianjin',
        nameZh: '天津市',
        short: '天津',
        municipality: true,
        cities: [
          ['BH', 'Binhai New Area', '滨海新区', 1, '120116', '300450', '022'],
          ['NK', 'Nankai District', '南开区', 0, '120104', '300100', '022'],
        ],
      },
      {
        code: 'HE',
        name: 'Hebei',
        nameZh: '河北省',
        short: '河北',
        cities: [
          ['SJZ', 'Shijiazhuang', '石家庄市', 1, '130100', '050000', '0311'],
          ['TS', 'Tangshan', '唐山市', 0, '130200', '063000', '0315'],
          ['BD', 'Baoding', '保定市', 0, '130600', '071000', '0312'],
        ],
      },
      {
        code: 'SX',
        name: 'Shanxi',
        nameZh: '山西省',
        short: '山西',
        cities: [
          ['TY', 'Taiyuan', '太原市', 1, '140100', '030000', '0351'],
          ['DT', 'Datong', '大同市', 0, '140200', '037000', '0352'],
        ],
      },
    ],
  },
  {
    code: 'EAST',
    name: 'East',
    nameZh: '华东',
    weight: 1.6,
    provinces: [
      {
        code: 'SH',
        name: 'Shanghai',
        nameZh: '上海市',
        short: '上海',
        municipality: true,
        cities: [
          ['PD', 'Pudong New Area', '浦东新区', 1, '310115', '200120', '021'],
          ['HP', 'Huangpu District', '黄浦区', 1, '310101', '200001', '021'],
          ['MH', 'Minhang District', '闵行区', 0, '310112', '201100', '021'],
        ],
      },
      {
        code: 'JS',
        name: 'Jiangsu',
        nameZh: '江苏省',
        short: '江苏',
        cities: [
          ['NJ', 'Nanjing', '南京市', 1, '320100', '210000', '025'],
          ['SZ', 'Suzhou', '苏州市', 1, '320500', '215000', '0512'],
          ['WX', 'Wuxi', '无锡市', 0, '320200', '214000', '0510'],
          ['NT', 'Nantong', '南通市', 0, '320600', '226000', '0513'],
        ],
      },
      {
        code: 'ZJ',
        name: 'Zhejiang',
        nameZh: '浙江省',
        short: '浙江',
        cities: [
          ['HZ', 'Hangzhou', '杭州市', 1, '330100', '310000', '0571'],
          ['NB', 'Ningbo', '宁波市', 1, '330200', '315000', '0574'],
          ['WZ', 'Wenzhou', '温州市', 0, '330300', '325000', '0577'],
        ],
      },
      {
        code: 'SD',
        name: 'Shandong',
        nameZh: '山东省',
        short: '山东',
        cities: [
          ['JN', 'Jinan', '济南市', 1, '370100', '250000', '0531'],
          ['QD', 'Qingdao', '青岛市', 1, '370200', '266000', '0532'],
          ['YT', 'Yantai', '烟台市', 0, '370600', '264000', '0535'],
        ],
      },
    ],
  },
  {
    code: 'SOUTH',
    name: 'South',
    nameZh: '华南',
    weight: 1.4,
    provinces: [
      {
        code: 'GD',
        name: 'Guangdong',
        nameZh: '广东省',
        short: '广东',
        cities: [
          ['GZ', 'Guangzhou', '广州市', 1, '440100', '510000', '020'],
          ['SZX', 'Shenzhen', '深圳市', 1, '440300', '518000', '0755'],
          ['DG', 'Dongguan', '东莞市', 0, '441900', '523000', '0769'],
          ['FS', 'Foshan', '佛山市', 0, '440600', '528000', '0757'],
        ],
      },
      {
        code: 'GX',
        name: 'Guangxi',
        nameZh: '广西壮族自治区',
        short: '广西',
        cities: [
          ['NN', 'Nanning', '南宁市', 1, '450100', '530000', '0771'],
          ['LZ', 'Liuzhou', '柳州市', 0, '450200', '545000', '0772'],
          ['GL', 'Guilin', '桂林市', 0, '450300', '541000', '0773'],
        ],
      },
      {
        code: 'FJ',
        name: 'Fujian',
        nameZh: '福建省',
        short: '福建',
        cities: [
          ['FZ', 'Fuzhou', '福州市', 1, '350100', '350000', '0591'],
          ['XM', 'Xiamen', '厦门市', 1, '350200', '361000', '0592'],
          ['QZ', 'Quanzhou', '泉州市', 0, '350500', '362000', '0595'],
        ],
      },
      {
        code: 'HI',
        name: 'Hainan',
        nameZh: '海南省',
        short: '海南',
        cities: [
          ['HK', 'Haikou', '海口市', 1, '460100', '570000', '0898'],
          ['SYA', 'Sanya', '三亚市', 0, '460200', '572000', '0898'],
        ],
      },
    ],
  },
  {
    code: 'CENTRAL',
    name: 'Central',
    nameZh: '华中',
    weight: 1.0,
    provinces: [
      {
        code: 'HB',
        name: 'Hubei',
        nameZh: '湖北省',
        short: '湖北',
        cities: [
          ['WH', 'Wuhan', '武汉市', 1, '420100', '430000', '027'],
          ['YC', 'Yichang', '宜昌市', 0, '420500', '443000', '0717'],
          ['XYA', 'Xiangyang', '襄阳市', 0, '420600', '441000', '0710'],
        ],
      },
      {
        code: 'HN',
        name: 'Hunan',
        nameZh: '湖南省',
        short: '湖南',
        cities: [
          ['CS', 'Changsha', '长沙市', 1, '430100', '410000', '0731'],
          ['ZHZ', 'Zhuzhou', '株洲市', 0, '430200', '412000', '0731'],
          ['XT', 'Xiangtan', '湘潭市', 0, '430300', '411100', '0731'],
        ],
      },
      {
        code: 'HA',
        name: 'Henan',
        nameZh: '河南省',
        short: '河南',
        cities: [
          ['ZZ', 'Zhengzhou', '郑州市', 1, '410100', '450000', '0371'],
          ['LY', 'Luoyang', '洛阳市', 0, '410300', '471000', '0379'],
          ['KF', 'Kaifeng', '开封市', 0, '410200', '475000', '0371'],
        ],
      },
      {
        code: 'JX',
        name: 'Jiangxi',
        nameZh: '江西省',
        short: '江西',
        cities: [
          ['NC', 'Nanchang', '南昌市', 1, '360100', '330000', '0791'],
          ['JJ', 'Jiujiang', '九江市', 0, '360400', '332000', '0792'],
        ],
      },
    ],
  },
  {
    code: 'NW',
    name: 'Northwest',
    nameZh: '西北',
    weight: 0.5,
    provinces: [
      {
        code: 'SN',
        name: 'Shaanxi',
        nameZh: '陕西省',
        short: '陕西',
        cities: [
          ['XA', "Xi'an", '西安市', 1, '610100', '710000', '029'],
          ['BJI', 'Baoji', '宝鸡市', 0, '610300', '721000', '0917'],
          ['XYN', 'Xianyang', '咸阳市', 0, '610400', '712000', '029'],
        ],
      },
      {
        code: 'GS',
        name: 'Gansu',
        nameZh: '甘肃省',
        short: '甘肃',
        cities: [
          ['LZH', 'Lanzhou', '兰州市', 1, '620100', '730000', '0931'],
          ['TSH', 'Tianshui', '天水市', 0, '620500', '741000', '0938'],
        ],
      },
      {
        code: 'NX',
        name: 'Ningxia',
        nameZh: '宁夏回族自治区',
        short: '宁夏',
        cities: [
          ['YCH', 'Yinchuan', '银川市', 1, '640100', '750000', '0951'],
          ['SZS', 'Shizuishan', '石嘴山市', 0, '640200', '753000', '0952'],
        ],
      },
      {
        code: 'XJ',
        name: 'Xinjiang',
        nameZh: '新疆维吾尔自治区',
        short: '新疆',
        cities: [
          ['URC', 'Urumqi', '乌鲁木齐市', 1, '650100', '830000', '0991'],
          ['KS', 'Kashgar', '喀什市', 0, '653101', '844000', '0998'],
        ],
      },
    ],
  },
  {
    code: 'SW',
    name: 'Southwest',
    nameZh: '西南',
    weight: 0.9,
    provinces: [
      {
        code: 'SC',
        name: 'Sichuan',
        nameZh: '四川省',
        short: '四川',
        cities: [
          ['CD', 'Chengdu', '成都市', 1, '510100', '610000', '028'],
          ['MY', 'Mianyang', '绵阳市', 0, '510700', '621000', '0816'],
          ['YB', 'Yibin', '宜宾市', 0, '511500', '644000', '0831'],
        ],
      },
      {
        code: 'CQ',
        name: 'Chongqing',
        nameZh: '重庆市',
        short: '重庆',
        municipality: true,
        cities: [
          ['YZ', 'Yuzhong District', '渝中区', 1, '500103', '400010', '023'],
          ['JB', 'Jiangbei District', '江北区', 0, '500105', '400020', '023'],
          ['YUB', 'Yubei District', '渝北区', 0, '500112', '401120', '023'],
        ],
      },
      {
        code: 'YN',
        name: 'Yunnan',
        nameZh: '云南省',
        short: '云南',
        cities: [
          ['KM', 'Kunming', '昆明市', 1, '530100', '650000', '0871'],
          ['DLI', 'Dali', '大理市', 0, '532901', '671000', '0872'],
          ['LJ', 'Lijiang', '丽江市', 0, '530700', '674100', '0888'],
        ],
      },
    ],
  },
];
