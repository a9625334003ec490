import type { Gender } from '../../../server/src/persons/citizen-id';
import { weighted, type Rng } from './prng';

/**
 * Chinese personal names for demo data: common surnames weighted by frequency, given names typical of the
 * decade of birth (建国 and 秀英 for the 1940s–50s, 伟 and 丽 for the 1970s, 梓涵 and 浩然 after 2000).
 */

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 71], ['李', 70], ['张', 67], ['刘', 54], ['陈', 46], ['杨', 31], ['黄', 24], ['赵', 23], ['吴', 20],
  ['周', 19], ['徐', 15], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 13], ['郭', 12], ['何', 12], ['林', 11],
  ['高', 11], ['罗', 10], ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 7], ['唐', 7], ['许', 7], ['韩', 6],
  ['冯', 6], ['邓', 6], ['曹', 6], ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['袁', 4], ['潘', 4],
  ['于', 4], ['蒋', 4], ['蔡', 4], ['余', 4], ['杜', 4], ['叶', 4], ['程', 4], ['苏', 3], ['魏', 3], ['吕', 3],
  ['丁', 3], ['任', 3], ['沈', 4], ['姚', 3], ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3], ['陆', 3],
  ['汪', 3], ['范', 3], ['金', 3], ['石', 3], ['廖', 2], ['贾', 2], ['夏', 2], ['方', 2], ['邹', 2], ['孟', 2],
  ['秦', 2], ['江', 2], ['钱', 2], ['严', 2], ['顾', 2], ['毛', 2], ['俞', 2], ['章', 2], ['楼', 1], ['应', 1],
  ['欧阳', 0.5], ['司马', 0.1], ['诸葛', 0.1],
];

type Era = 'before1960' | '1960to1989' | 'from1990';

const GIVEN: Record<Era, Record<Gender, readonly string[]>> = {
  before1960: {
    M: ['建国', '国庆', '建华', '国强', '志明', '德明', '建军', '卫国', '福生', '根宝', '长发', '金海', '荣华',
      '树林', '振华', '德胜', '永康', '文斌', '学军', '宝根', '忠良', '春生', '兴旺', '家驹', '庆丰'],
    F: ['秀英', '桂兰', '玉兰', '秀兰', '凤英', '桂英', '淑珍', '美华', '金花', '彩凤', '月娥', '素珍', '翠花',
      '雪梅', '丽华', '桂芳', '爱华', '菊英', '玉珍', '秀珍', '凤兰', '美英', '杏花', '巧云', '惠芬'],
  },
  '1960to1989': {
    M: ['伟', '强', '勇', '军', '磊', '涛', '斌', '杰', '鹏', '明', '刚', '建平', '志强', '海涛', '晓东', '建伟',
      '国平', '立新', '卫东', '永刚', '文军', '俊', '健', '波', '超', '辉', '峰', '志刚'],
    F: ['丽', '静', '敏', '燕', '艳', '娟', '霞', '芳', '红', '萍', '玲', '梅', '丽娟', '晓燕', '红梅', '海燕',
      '春燕', '秀芳', '美玲', '婷', '莉', '琳', '晓红', '丽萍', '慧'],
  },
  from1990: {
    M: ['浩然', '子轩', '宇航', '俊杰', '浩宇', '梓豪', '一鸣', '家豪', '博文', '思远', '子墨', '皓轩', '宇',
      '昊', '浩', '睿', '晨阳', '嘉树', '铭泽', '梓睿', '天佑', '逸飞', '泽宇', '雨辰'],
    F: ['欣怡', '梓涵', '诗涵', '子涵', '雨萱', '思琪', '可馨', '佳怡', '语嫣', '一诺', '婉婷', '雨桐', '梦瑶',
      '心怡', '若汐', '欣妍', '诗雨', '嘉怡', '颖', '悦', '静怡', '安琪', '晓彤', '书瑶'],
  },
};

const surname = weighted(SURNAMES);

function eraOf(birthYear: number): Era {
  if (birthYear < 1960) return 'before1960';
  if (birthYear < 1990) return '1960to1989';
  return 'from1990';
}

/** A weighted common surname. @example randomSurname(rng); // '王' */
export function randomSurname(rng: Rng): string {
  return surname(rng);
}

/** A given name fitting the decade of birth. @example randomGivenName(rng, 'F', 1948); // '秀英' */
export function randomGivenName(rng: Rng, gender: Gender, birthYear: number): string {
  return rng.pick(GIVEN[eraOf(birthYear)][gender]);
}

/** A full name. @example randomFullName(rng, 'M', 1952); // '张建国' */
export function randomFullName(rng: Rng, gender: Gender, birthYear: number, familyName?: string): string {
  return (familyName ?? surname(rng)) + randomGivenName(rng, gender, birthYear);
}

/** The surname part of a full name (handles the compound surnames used here). @example surnameOf('欧阳娜'); // '欧阳' */
export function surnameOf(fullName: string): string {
  const compound = SURNAMES.find(([s]) => s.length === 2 && fullName.startsWith(s));
  return compound ? compound[0] : fullName.slice(0, 1);
}
