// Common Japanese names with their katakana reading (searched at the counter) and a romaji
// spelling for e-mail addresses. Family names are in rough order of frequency.

export type Name = { kanji: string; kana: string; romaji: string }

const n = (kanji: string, kana: string, romaji: string): Name => ({ kanji, kana, romaji })

export const familyNames: readonly Name[] = [
  n('佐藤', 'サトウ', 'sato'), n('鈴木', 'スズキ', 'suzuki'), n('高橋', 'タカハシ', 'takahashi'),
  n('田中', 'タナカ', 'tanaka'), n('伊藤', 'イトウ', 'ito'), n('渡辺', 'ワタナベ', 'watanabe'),
  n('山本', 'ヤマモト', 'yamamoto'), n('中村', 'ナカムラ', 'nakamura'), n('小林', 'コバヤシ', 'kobayashi'),
  n('加藤', 'カトウ', 'kato'), n('吉田', 'ヨシダ', 'yoshida'), n('山田', 'ヤマダ', 'yamada'),
  n('佐々木', 'ササキ', 'sasaki'), n('山口', 'ヤマグチ', 'yamaguchi'), n('松本', 'マツモト', 'matsumoto'),
  n('井上', 'イノウエ', 'inoue'), n('木村', 'キムラ', 'kimura'), n('林', 'ハヤシ', 'hayashi'),
  n('斎藤', 'サイトウ', 'saito'), n('清水', 'シミズ', 'shimizu'), n('山崎', 'ヤマザキ', 'yamazaki'),
  n('森', 'モリ', 'mori'), n('池田', 'イケダ', 'ikeda'), n('橋本', 'ハシモト', 'hashimoto'),
  n('阿部', 'アベ', 'abe'), n('石川', 'イシカワ', 'ishikawa'), n('山下', 'ヤマシタ', 'yamashita'),
  n('中島', 'ナカジマ', 'nakajima'), n('石井', 'イシイ', 'ishii'), n('小川', 'オガワ', 'ogawa'),
  n('前田', 'マエダ', 'maeda'), n('岡田', 'オカダ', 'okada'), n('長谷川', 'ハセガワ', 'hasegawa'),
  n('藤田', 'フジタ', 'fujita'), n('後藤', 'ゴトウ', 'goto'), n('近藤', 'コンドウ', 'kondo'),
  n('村上', 'ムラカミ', 'murakami'), n('遠藤', 'エンドウ', 'endo'), n('青木', 'アオキ', 'aoki'),
  n('坂本', 'サカモト', 'sakamoto'), n('斉藤', 'サイトウ', 'saito'), n('福田', 'フクダ', 'fukuda'),
  n('太田', 'オオタ', 'ota'), n('西村', 'ニシムラ', 'nishimura'), n('藤井', 'フジイ', 'fujii'),
  n('金子', 'カネコ', 'kaneko'), n('岡本', 'オカモト', 'okamoto'), n('藤原', 'フジワラ', 'fujiwara'),
  n('中野', 'ナカノ', 'nakano'), n('三浦', 'ミウラ', 'miura'), n('原田', 'ハラダ', 'harada'),
  n('松田', 'マツダ', 'matsuda'), n('竹内', 'タケウチ', 'takeuchi'), n('小野', 'オノ', 'ono'),
  n('田村', 'タムラ', 'tamura'), n('中山', 'ナカヤマ', 'nakayama'), n('和田', 'ワダ', 'wada'),
  n('石田', 'イシダ', 'ishida'), n('森田', 'モリタ', 'morita'), n('上田', 'ウエダ', 'ueda'),
]

export const maleGivenNames: readonly Name[] = [
  n('太郎', 'タロウ', 'taro'), n('翔太', 'ショウタ', 'shota'), n('大輔', 'ダイスケ', 'daisuke'),
  n('健太', 'ケンタ', 'kenta'), n('拓也', 'タクヤ', 'takuya'), n('直樹', 'ナオキ', 'naoki'),
  n('和也', 'カズヤ', 'kazuya'), n('達也', 'タツヤ', 'tatsuya'), n('蓮', 'レン', 'ren'),
  n('悠真', 'ユウマ', 'yuma'), n('陽翔', 'ハルト', 'haruto'), n('湊', 'ミナト', 'minato'),
  n('大翔', 'ヒロト', 'hiroto'), n('誠', 'マコト', 'makoto'), n('浩二', 'コウジ', 'koji'),
  n('健一', 'ケンイチ', 'kenichi'), n('隆', 'タカシ', 'takashi'), n('亮', 'リョウ', 'ryo'),
  n('颯太', 'ソウタ', 'sota'), n('悠斗', 'ユウト', 'yuto'), n('一郎', 'イチロウ', 'ichiro'),
  n('修', 'オサム', 'osamu'), n('翼', 'ツバサ', 'tsubasa'), n('海斗', 'カイト', 'kaito'),
  n('大樹', 'ダイキ', 'daiki'), n('俊介', 'シュンスケ', 'shunsuke'), n('智也', 'トモヤ', 'tomoya'),
  n('優太', 'ユウタ', 'yuta'), n('樹', 'イツキ', 'itsuki'), n('陸', 'リク', 'riku'),
]

export const femaleGivenNames: readonly Name[] = [
  n('花子', 'ハナコ', 'hanako'), n('美咲', 'ミサキ', 'misaki'), n('陽菜', 'ヒナ', 'hina'),
  n('結衣', 'ユイ', 'yui'), n('さくら', 'サクラ', 'sakura'), n('愛', 'アイ', 'ai'),
  n('葵', 'アオイ', 'aoi'), n('七海', 'ナナミ', 'nanami'), n('彩', 'アヤ', 'aya'),
  n('真由美', 'マユミ', 'mayumi'), n('由美子', 'ユミコ', 'yumiko'), n('恵子', 'ケイコ', 'keiko'),
  n('久美子', 'クミコ', 'kumiko'), n('裕子', 'ユウコ', 'yuko'), n('明美', 'アケミ', 'akemi'),
  n('智子', 'トモコ', 'tomoko'), n('麻衣', 'マイ', 'mai'), n('千尋', 'チヒロ', 'chihiro'),
  n('杏', 'アン', 'an'), n('芽衣', 'メイ', 'mei'), n('凛', 'リン', 'rin'),
  n('結菜', 'ユイナ', 'yuina'), n('美月', 'ミヅキ', 'mizuki'), n('莉子', 'リコ', 'riko'),
  n('舞', 'マイ', 'mai'), n('奈々', 'ナナ', 'nana'), n('香織', 'カオリ', 'kaori'),
  n('綾乃', 'アヤノ', 'ayano'), n('直美', 'ナオミ', 'naomi'), n('沙織', 'サオリ', 'saori'),
]

/** Zipf-like: the common family names are far more common, as in a real member base. */
export const familyNameWeights: readonly number[] = familyNames.map((_, i) => 1 / (i + 4))
