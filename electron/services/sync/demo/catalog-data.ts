// What the demo retailer sells: a Japanese lifestyle chain. Each template yields styles
// (detail × item), and each style one product per variant (colour, capacity) and size.

/** Interest groups: what members like, and what the coupons and tags are built around. */
export const groups = [
  'apparel',
  'shoes',
  'running',
  'bags',
  'kitchen',
  'stationery',
  'beauty',
  'food',
  'home',
] as const
export type Group = (typeof groups)[number]

export type SizeRun = 'apparel' | 'shoes' | 'none'
export type Variant = { label: string; code: string }

export type Template = {
  /** Start of the sku and of the in-house style code, unique per template. */
  key: string
  group: Group
  category: readonly string[]
  details: readonly string[]
  items: readonly string[]
  /** Empty: the style is a single product without a variant. */
  variants: readonly Variant[]
  /** The attribute a variant is written to. */
  variantAttribute: 'color' | 'size' | 'scent'
  variantsPerStyle: readonly [number, number]
  sizes: SizeRun
  priceYen: readonly [number, number]
  /** Share of the styles (not of the skus: sized styles make many skus). */
  weight: number
  /** Bought several at a time now and then, and bought again. */
  consumable?: boolean
}

const c = (label: string, code: string): Variant => ({ label, code })

const basics = [c('ネイビー', 'NVY'), c('ブラック', 'BLK'), c('ホワイト', 'WHT'), c('グレー', 'GRY'), c('ベージュ', 'BEG')]
const earthy = [c('オリーブ', 'OLV'), c('ブラウン', 'BRN'), c('カーキ', 'KHA'), c('チャコール', 'CHC')]
const bright = [c('レッド', 'RED'), c('ブルー', 'BLU'), c('ネオンイエロー', 'NYL'), c('ピンク', 'PNK')]
const tableware = [c('ホワイト', 'WHT'), c('グレー', 'GRY'), c('藍', 'IND'), c('黒', 'BLK'), c('生成り', 'ECR')]
const capacity = (labels: readonly string[]): Variant[] =>
  labels.map((label) => c(label, label.replace(/[^0-9A-Za-z.]/g, '').replace('.', '_').toUpperCase() || 'ONE'))

export const apparelSizes = ['S', 'M', 'L'] as const
export const shoeSizes = ['23.0', '23.5', '24.0', '24.5', '25.0', '25.5', '26.0', '26.5', '27.0', '27.5', '28.0'] as const

export const templates: readonly Template[] = [
  {
    key: 'TP', group: 'apparel', category: ['衣料', 'トップス'],
    details: ['オーガニックコットン', 'スーピマコットン', 'ヘビーウェイト', 'リラックスフィット', 'ドライタッチ', 'ガーゼ', 'リサイクルポリエステル', '天竺'],
    items: ['クルーネックTシャツ', 'VネックTシャツ', 'ロングスリーブTシャツ', 'オックスフォードシャツ', 'リネンシャツ', 'スウェットシャツ', 'フーディー', 'ニットカーディガン', 'ポロシャツ'],
    variants: [...basics, ...earthy], variantAttribute: 'color', variantsPerStyle: [2, 4], sizes: 'apparel',
    priceYen: [1490, 6990], weight: 14,
  },
  {
    key: 'BT', group: 'apparel', category: ['衣料', 'ボトムス'],
    details: ['ストレッチ', 'コットンツイル', 'リネン混', 'ウォッシャブル', 'セルビッジ', '撥水'],
    items: ['チノパンツ', 'ストレートデニム', 'ワイドパンツ', 'イージーパンツ', 'テーパードパンツ', 'フレアスカート', 'プリーツスカート', 'ショートパンツ'],
    variants: [c('ネイビー', 'NVY'), c('ブラック', 'BLK'), c('ベージュ', 'BEG'), c('カーキ', 'KHA'), c('インディゴ', 'IDG'), c('グレー', 'GRY')],
    variantAttribute: 'color', variantsPerStyle: [2, 3], sizes: 'apparel', priceYen: [2990, 8990], weight: 9,
  },
  {
    key: 'OT', group: 'apparel', category: ['衣料', 'アウター'],
    details: ['軽量', '撥水', 'リサイクルダウン', 'ウール混', '防風'],
    items: ['ダウンジャケット', 'マウンテンパーカー', 'ステンカラーコート', 'キルティングジャケット', 'フリースジャケット', 'ウールコート'],
    variants: [c('ブラック', 'BLK'), c('ネイビー', 'NVY'), ...earthy.slice(0, 1), c('ベージュ', 'BEG'), c('チャコール', 'CHC')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'apparel', priceYen: [6990, 29800], weight: 5,
  },
  {
    key: 'SX', group: 'apparel', category: ['衣料', 'ソックス'],
    details: ['綿混', 'オーガニックコットン', 'ウール混', '足底パイル'],
    items: ['クルーソックス 3足組', 'アンクルソックス 3足組', 'パイルソックス', '五本指ソックス'],
    variants: basics, variantAttribute: 'color', variantsPerStyle: [2, 4], sizes: 'none', priceYen: [590, 1990], weight: 3,
    consumable: true,
  },
  {
    key: 'SN', group: 'shoes', category: ['シューズ', 'スニーカー'],
    details: ['クラシック', '軽量', '撥水', 'ヴィーガンレザー'],
    items: ['キャンバススニーカー', 'レザースニーカー', 'スリッポン', 'ハイカットスニーカー'],
    variants: basics, variantAttribute: 'color', variantsPerStyle: [1, 2], sizes: 'shoes', priceYen: [4990, 14900], weight: 5,
  },
  {
    key: 'LS', group: 'shoes', category: ['シューズ', 'レザーシューズ'],
    details: ['本革', '撥水レザー', 'スエード', 'ソフトレザー'],
    items: ['ローファー', 'プレーントゥ', 'サイドゴアブーツ', 'バレエシューズ'],
    variants: [c('ブラック', 'BLK'), c('ブラウン', 'BRN'), c('ダークブラウン', 'DBR')],
    variantAttribute: 'color', variantsPerStyle: [1, 2], sizes: 'shoes', priceYen: [9900, 24800], weight: 2,
  },
  {
    key: 'SD', group: 'shoes', category: ['シューズ', 'サンダル'],
    details: ['軽量', 'クッション', 'ストラップ'],
    items: ['スポーツサンダル', 'レザーサンダル', 'リカバリーサンダル'],
    variants: [c('ブラック', 'BLK'), c('ベージュ', 'BEG'), c('カーキ', 'KHA')],
    variantAttribute: 'color', variantsPerStyle: [1, 2], sizes: 'shoes', priceYen: [2990, 8990], weight: 1.5,
  },
  {
    key: 'RS', group: 'running', category: ['スポーツ', 'ランニングシューズ'],
    details: ['クッション', '軽量', '厚底', '安定性', 'ワイド'],
    items: ['ランニングシューズ', 'トレイルランニングシューズ', 'レーシングシューズ', 'ウォーキングシューズ'],
    variants: [c('ブラック', 'BLK'), c('ホワイト', 'WHT'), c('ネイビー', 'NVY'), ...bright],
    variantAttribute: 'color', variantsPerStyle: [1, 2], sizes: 'shoes', priceYen: [7990, 19800], weight: 4,
  },
  {
    key: 'RW', group: 'running', category: ['スポーツ', 'ランニングウェア'],
    details: ['ドライ', 'UVカット', '軽量', '吸汗速乾', 'リフレクター付き'],
    items: ['ランニングTシャツ', 'ランニングショーツ', 'ランニングタイツ', 'ウインドブレーカー', 'ランニングベスト'],
    variants: [c('ブラック', 'BLK'), c('ネイビー', 'NVY'), c('グレー', 'GRY'), ...bright],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'apparel', priceYen: [1990, 9900], weight: 4,
  },
  {
    key: 'RA', group: 'running', category: ['スポーツ', 'アクセサリー'],
    details: ['軽量', '速乾', '反射材付き', '防水'],
    items: ['ランニングキャップ', 'ランニングソックス', 'ウエストポーチ', 'アームポーチ', 'ボトルホルダー', 'スポーツタオル'],
    variants: [c('ブラック', 'BLK'), c('ネイビー', 'NVY'), c('ホワイト', 'WHT'), c('ネオンイエロー', 'NYL')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'none', priceYen: [990, 4990], weight: 3, consumable: true,
  },
  {
    key: 'TB', group: 'bags', category: ['バッグ', 'トートバッグ'],
    details: ['厚手', '撥水', '折りたたみ', 'A4サイズ'],
    items: ['キャンバストート', 'レザートート', 'エコバッグ', 'マルシェバッグ'],
    variants: [...basics, ...earthy.slice(0, 2)], variantAttribute: 'color', variantsPerStyle: [1, 4], sizes: 'none',
    priceYen: [1490, 12900], weight: 3,
  },
  {
    key: 'BP', group: 'bags', category: ['バッグ', 'リュック'],
    details: ['撥水', '軽量', 'リサイクルナイロン', '多機能'],
    items: ['デイパック', 'バックパック 20L', 'ロールトップリュック', 'PCリュック'],
    variants: [c('ブラック', 'BLK'), c('ネイビー', 'NVY'), c('グレー', 'GRY'), c('オリーブ', 'OLV')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'none', priceYen: [4990, 16900], weight: 3,
  },
  {
    key: 'SB', group: 'bags', category: ['バッグ', 'ショルダーバッグ'],
    details: ['撥水', 'レザー', 'ナイロン', 'キャンバス'],
    items: ['サコッシュ', 'ショルダーバッグ', 'ボディバッグ', 'ミニショルダー'],
    variants: [c('ブラック', 'BLK'), c('ベージュ', 'BEG'), c('ブラウン', 'BRN'), c('ネイビー', 'NVY')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'none', priceYen: [2490, 9900], weight: 2,
  },
  {
    key: 'TW', group: 'kitchen', category: ['キッチン', '食器'],
    details: ['波佐見焼', '美濃焼', '白磁', '耐熱ガラス', '木製'],
    items: ['マグカップ', '平皿 24cm', '飯碗', '小鉢', 'グラス', 'カトラリーセット'],
    variants: tableware, variantAttribute: 'color', variantsPerStyle: [1, 4], sizes: 'none', priceYen: [690, 3990], weight: 5,
    consumable: true,
  },
  {
    key: 'KT', group: 'kitchen', category: ['キッチン', '調理道具'],
    details: ['IH対応', '日本製', '抗菌', '軽量'],
    items: ['鉄フライパン 26cm', 'ステンレス雪平鍋', '木製まな板', 'シリコンスパチュラ', '菜箸', 'ステンレスケトル'],
    variants: [c('シルバー', 'SLV'), c('ブラック', 'BLK'), c('ナチュラル', 'NAT')],
    variantAttribute: 'color', variantsPerStyle: [1, 2], sizes: 'none', priceYen: [990, 9900], weight: 4,
  },
  {
    key: 'KS', group: 'kitchen', category: ['キッチン', '保存容器'],
    details: ['耐熱', '日本製', 'スタッキング'],
    items: ['ガラス保存容器', 'ホーロー保存容器', '密閉キャニスター', 'ランチボックス'],
    variants: capacity(['300ml', '500ml', '800ml', '1.2L']), variantAttribute: 'size', variantsPerStyle: [2, 4], sizes: 'none',
    priceYen: [590, 3490], weight: 3,
  },
  {
    key: 'NT', group: 'stationery', category: ['文具', 'ノート'],
    details: ['再生紙', '上質紙', 'クラフト表紙', '植林木ペーパー'],
    items: ['方眼ノート A5', 'ドット方眼ノート B5', 'リングノート', 'ルーズリーフ 100枚'],
    variants: [c('ブルー', 'BLU'), c('グレー', 'GRY'), c('ベージュ', 'BEG'), c('ブラック', 'BLK'), c('レッド', 'RED')],
    variantAttribute: 'color', variantsPerStyle: [2, 5], sizes: 'none', priceYen: [150, 690], weight: 4, consumable: true,
  },
  {
    key: 'PN', group: 'stationery', category: ['文具', 'ペン'],
    details: ['なめらか', 'ノック式', '詰め替え可能', 'アルミ軸'],
    items: ['ゲルインクボールペン 0.5mm', '油性ボールペン 0.7mm', '蛍光ペン', 'シャープペンシル 0.5mm'],
    variants: [c('ブラック', 'BLK'), c('ブルー', 'BLU'), c('レッド', 'RED'), c('グリーン', 'GRN')],
    variantAttribute: 'color', variantsPerStyle: [1, 4], sizes: 'none', priceYen: [120, 1490], weight: 3, consumable: true,
  },
  {
    key: 'PL', group: 'stationery', category: ['文具', '手帳'],
    details: ['レザー調', 'ハードカバー', '薄型', 'ソフトカバー'],
    items: ['手帳 B6 マンスリー', 'ウィークリー手帳 A5', 'スケジュール帳 A6', '日記帳'],
    variants: [c('ブラック', 'BLK'), c('ネイビー', 'NVY'), c('ブラウン', 'BRN'), c('ピンク', 'PNK')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'none', priceYen: [990, 2990], weight: 1.5,
  },
  {
    key: 'SK', group: 'beauty', category: ['コスメ', 'スキンケア'],
    details: ['敏感肌用', '高保湿', 'ナチュラル', '無香料', 'エイジングケア'],
    items: ['化粧水', '乳液', '美容液', 'クレンジングオイル', '保湿クリーム', 'オールインワンジェル'],
    variants: capacity(['50mL', '200mL', '400mL']), variantAttribute: 'size', variantsPerStyle: [1, 3], sizes: 'none',
    priceYen: [990, 4990], weight: 4, consumable: true,
  },
  {
    key: 'BC', group: 'beauty', category: ['コスメ', 'ボディケア'],
    details: ['ラベンダー', 'ゆず', 'ヒノキ', '無香料', 'シトラス'],
    items: ['ボディソープ', 'ハンドクリーム', 'ボディミルク', 'シャンプー', 'リップバーム'],
    variants: capacity(['30g', '250mL', '500mL']), variantAttribute: 'size', variantsPerStyle: [1, 2], sizes: 'none',
    priceYen: [590, 2490], weight: 3, consumable: true,
  },
  {
    key: 'FR', group: 'beauty', category: ['コスメ', 'フレグランス'],
    details: ['ホワイトムスク', 'ベルガモット', 'ヒノキ', '金木犀', 'ゆず'],
    items: ['オードトワレ', 'ルームフレグランス', 'アロマオイル 10mL', '練り香水'],
    variants: [], variantAttribute: 'scent', variantsPerStyle: [1, 1], sizes: 'none', priceYen: [1290, 5990], weight: 2,
  },
  {
    key: 'TE', group: 'food', category: ['食品', 'お茶'],
    details: ['静岡県産', '京都宇治', '鹿児島県産', '有機', '八女'],
    items: ['煎茶', 'ほうじ茶', '玄米茶', '和紅茶', '抹茶', '深蒸し茶'],
    variants: capacity(['50g', '100g', '200g']), variantAttribute: 'size', variantsPerStyle: [1, 3], sizes: 'none',
    priceYen: [590, 2490], weight: 4, consumable: true,
  },
  {
    key: 'SW', group: 'food', category: ['食品', 'お菓子'],
    details: ['国産', '無添加', '素焼き', '北海道バター', '沖縄黒糖'],
    items: ['ドライフルーツ', 'ナッツミックス', 'かりんとう', 'チョコレート', 'バタークッキー', 'おかき'],
    variants: capacity(['80g', '150g', '300g']), variantAttribute: 'size', variantsPerStyle: [1, 3], sizes: 'none',
    priceYen: [290, 1490], weight: 3, consumable: true,
  },
  {
    key: 'CF', group: 'food', category: ['食品', 'コーヒー'],
    details: ['深煎り', '中煎り', '浅煎り', 'エチオピア', 'ブラジル', 'コロンビア'],
    items: ['ドリップコーヒー', 'コーヒー豆', 'カフェインレスコーヒー', '水出しコーヒーパック'],
    variants: capacity(['10袋入', '200g', '500g']), variantAttribute: 'size', variantsPerStyle: [1, 3], sizes: 'none',
    priceYen: [690, 2990], weight: 2.5, consumable: true,
  },
  {
    key: 'TL', group: 'home', category: ['生活雑貨', 'タオル'],
    details: ['今治', 'オーガニックコットン', 'パイル', '速乾'],
    items: ['フェイスタオル', 'バスタオル', 'ハンドタオル', 'ガーゼケット'],
    variants: [c('ホワイト', 'WHT'), c('グレー', 'GRY'), c('ネイビー', 'NVY'), c('ベージュ', 'BEG'), c('ピンク', 'PNK')],
    variantAttribute: 'color', variantsPerStyle: [2, 5], sizes: 'none', priceYen: [590, 4990], weight: 3, consumable: true,
  },
  {
    key: 'IN', group: 'home', category: ['生活雑貨', 'インテリア'],
    details: ['リネン', 'ウール混', '北欧柄', '木製'],
    items: ['クッションカバー', 'ブランケット', 'フロアマット', 'アロマディフューザー', '壁掛け時計'],
    variants: [c('ナチュラル', 'NAT'), c('グレー', 'GRY'), c('マスタード', 'MUS'), c('ネイビー', 'NVY')],
    variantAttribute: 'color', variantsPerStyle: [1, 3], sizes: 'none', priceYen: [1490, 8990], weight: 2.5,
  },
]

/**
 * Seven-digit GS1 Japan company prefixes (45 or 49) of the makers, one per group. Invented for
 * the demo; the item reference after them is the product's index, so every JAN is unique.
 */
export const makerPrefixes: Record<Group, string> = {
  apparel: '4901234',
  shoes: '4512345',
  running: '4523456',
  bags: '4934567',
  kitchen: '4945678',
  stationery: '4956789',
  beauty: '4567890',
  food: '4978901',
  home: '4589012',
}

export type StoreSeed = { storeId: string; name: string; homeWeight: number }

/** homeWeight: how many members call the store home, besides the register's own store. */
export const storeSeeds: readonly StoreSeed[] = [
  { storeId: 'S001', name: 'Musubi 渋谷店', homeWeight: 14 },
  { storeId: 'S002', name: 'Musubi 新宿店', homeWeight: 14 },
  { storeId: 'S003', name: 'Musubi 吉祥寺店', homeWeight: 8 },
  { storeId: 'S004', name: 'Musubi 横浜店', homeWeight: 12 },
  { storeId: 'S005', name: 'Musubi 名古屋店', homeWeight: 9 },
  { storeId: 'S006', name: 'Musubi 梅田店', homeWeight: 13 },
  { storeId: 'S007', name: 'Musubi 京都店', homeWeight: 7 },
  { storeId: 'S008', name: 'Musubi 福岡天神店', homeWeight: 7 },
]
