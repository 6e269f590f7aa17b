import { describe, expect, it } from 'vitest';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';
import { labelFor } from '../../../src/domain/sentiment/sentiment.label.js';

const analyser = createSentimentAnalyser();
const score = (text: string): number => {
  const analysis = analyser.analyse(text, 'gu');
  expect(analysis, 'Gujarati is scored').not.toBeNull();
  return analysis!.score;
};
const label = (text: string) => labelFor(score(text));

describe('Gujarati sentiment', () => {
  it('is one of the scored languages', () => {
    expect(analyser.languages).toContain('gu');
  });

  it('praise is positive and a complaint negative', () => {
    expect(label('આ દુકાનનો સ્ટાફ ખૂબ સરસ છે, આભાર')).toBe('positive');
    expect(label('ઉત્તમ સર્વિસ, મજા આવી ગઈ')).toBe('positive');
    expect(label('ડિલિવરી ખૂબ મોડી આવી અને પેકિંગ ગંદું હતું')).toBe('negative');
    expect(label('ભયંકર અનુભવ, સાવ બેકાર એપ')).toBe('negative');
  });

  it('adjectives count in every gender and number: સારું, સારો, સારી, સારા', () => {
    for (const text of ['ફોન સારો છે', 'એપ સારી છે', 'પુસ્તક સારું છે', 'બૂટ સારા છે']) expect(label(text), text).toBe('positive');
    for (const text of ['ફોન મને ગમ્યો', 'એપ મને ગમી', 'ગીતો મને ગમ્યા']) expect(label(text), text).toBe('positive');
    for (const text of ['ઓર્ડર મોડો આવ્યો', 'એપ ધીમી છે', 'કપ તૂટેલા હતા']) expect(label(text), text).toBe('negative');
  });

  it('a postposition written onto a sentiment word does not hide it', () => {
    expect(label('એપ તો કમાલની છે')).toBe('positive');
    expect(label('ખુશીથી ફરી ખરીદીશ')).toBe('positive');
  });

  it('post-verbal negation: "સારું નથી", "ગમ્યું નહીં", "બરાબર નહોતું" are negative', () => {
    expect(score('જમવાનું સારું છે')).toBeGreaterThan(0);
    expect(score('જમવાનું સારું નથી')).toBeLessThan(0);
    expect(score('મને ડિઝાઇન ગમ્યું નહીં')).toBeLessThan(0);
    expect(score('વર્તન બરાબર નહોતું')).toBeLessThan(0);
    expect(score('સારું પણ નથી')).toBeLessThan(0);
  });

  it('a negator before the verb negates it when nothing before carries sentiment: "મને નથી ગમતું"', () => {
    expect(score('મને નથી ગમતું')).toBeLessThan(0);
    expect(score('ડિલિવરી સમયસર ન આવી')).toBeLessThan(0);
  });

  it('a negated complaint is no complaint: "કોઈ ફરિયાદ નથી" is not negative, and leaves the praise after it alone', () => {
    expect(label('કોઈ ફરિયાદ નથી')).not.toBe('negative');
    expect(label('કોઈ ફરિયાદ નથી, ખૂબ સરસ સેવા')).toBe('positive');
    expect(label('ફરિયાદ નથી બધું સરસ')).toBe('positive');
    expect(label('કોઈ તકલીફ વગર બધું પતી ગયું')).toBe('positive');
    expect(label('ખરાબ બિલકુલ નથી')).toBe('positive');
  });

  it('the question tags ને? and ના? negate nothing; નહીં after a comma stays in its own clause', () => {
    expect(label('સારું છે ને?')).toBe('positive');
    expect(label('સારું છે ના?')).toBe('positive');
    expect(label('સારું છે, નહીં?')).toBe('positive');
    expect(label('સારું નથી ને?')).toBe('negative');
  });

  it('ના written apart as the genitive, or as an emphatic particle, is not a negator', () => {
    expect(label('એપ ના ફીચર્સ સારા છે')).toBe('positive');
    expect(label('મજા આવી ના!')).toBe('positive');
  });

  it('intensifiers raise the next sentiment word: ખૂબ, બહુ, એકદમ, સાવ, અતિ', () => {
    expect(score('ખૂબ સારું')).toBeGreaterThan(score('સારું'));
    expect(score('બહુ સરસ')).toBeGreaterThan(score('સરસ'));
    expect(score('એકદમ મસ્ત')).toBeGreaterThan(score('મસ્ત'));
    expect(score('સાવ ખરાબ')).toBeLessThan(score('ખરાબ'));
    expect(score('અતિ ધીમું')).toBeLessThan(score('ધીમું'));
  });

  it('પણ is "but" when it opens a clause and "also/even" inside one', () => {
    expect(score('જમવાનું સારું હતું, પણ સેવા ખૂબ ખરાબ')).toBeLessThan(0);
    expect(score('જમવાનું ખરાબ હતું, પણ સ્ટાફ ખૂબ સરસ')).toBeGreaterThan(0);
    expect(score('મોંઘું છે પરંતુ ગુણવત્તા ઉત્તમ')).toBeGreaterThan(0);
    expect(label('કિંમત ઓછી છે અને ગુણવત્તા પણ સારી')).toBe('positive');
  });

  it('set phrases: "પૈસા વસૂલ" is praise, "ખરીદશો નહીં" and "કોઈ કામનું નથી" are complaints', () => {
    expect(label('પૈસા વસૂલ')).toBe('positive');
    expect(label('આ ફોન ખરીદશો નહીં')).toBe('negative');
    expect(label('આ ચાર્જર કોઈ કામનું નથી')).toBe('negative');
    expect(label('એપ કામ નથી કરતી')).toBe('negative');
  });

  it('plain information is neutral', () => {
    expect(label('દુકાન સોમવારે બંધ રહેશે')).toBe('neutral');
    expect(label('ખબર નથી ઓર્ડર ક્યારે આવશે')).toBe('neutral');
  });
});
