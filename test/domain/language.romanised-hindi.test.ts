import { describe, expect, it } from 'vitest';
import { detectLanguage, MIN_CONFIDENCE } from '../../src/domain/language/language.detect.js';

// Romanised Hindi (Hindi in Latin letters) as social posts write it, code-mixed with English words.
// Before, none of these was `hi`: most were no language, some `en` or `cs`, so `lang:hi` missed them.
const ROMANISED_HINDI = [
  'yeh phone bahut accha hai',
  'service bilkul bekaar hai yaar',
  'theek hai, kuch khaas nahi',
  'Acme ka delivery time bahut slow hai, kya kar rahe ho aap log',
  'mujhe yeh app bilkul pasand nahi aaya',
  'kal order kiya tha, abhi tak nahi aaya',
  'bhai camera quality toh mast hai, battery bhi achhi hai',
  'kya bakwas service hai, paisa barbaad',
  'customer care wale phone hi nahi uthate',
  'mera refund abhi tak nahi mila, bahut pareshan hoon',
  'ye laptop mat kharidna, bekar hai',
  'sab theek hai par price thoda zyada hai',
  'maine pehli baar order kiya aur experience shandaar raha',
  'itna ghatiya product kabhi nahi dekha',
  'app update ke baad sab slow ho gaya hai',
  'unka customer support kaafi accha hai, jaldi reply karte hain',
  'khana thanda tha aur swad bhi nahi tha',
  'humein bhi yahi problem ho rahi hai',
  'kya koi bata sakta hai ki ye offer kab tak hai?',
  'theek thaak hai, itna bhi bura nahi',
  'aaj ka match dekh ke maza aa gaya',
  'Acme ki coffee mujhe bahut pasand hai',
  'kuch samajh nahi aa raha, app baar baar crash ho raha hai',
  'accha hai yaar',
  'Delivery bahut late hai yaar, refund nahi mila.',
];

// Latin-script posts in a language Earshot detects, with that language: English with Indian names,
// loanwords ("chai", "namaste") or one stray Hindi word ("bekaar", "bhai", "acha", "kya"); Czech
// without its diacritics; Spanish. Each was detected so before, and still is.
const OTHER_LANGUAGES: Array<[lang: string, text: string]> = [
  ['en', 'I love masala chai from Chaayos, best in town'],
  ['en', 'Rahul and Priya reviewed the new Acme phone, they liked the camera'],
  ['en', "Shah Rukh Khan's new movie was a blast"],
  ['en', 'Namaste everyone, the Acme store in Mumbai opens today'],
  ['en', 'Bhai, this phone is amazing, totally worth it'],
  ['en', "Had paneer tikka and dal makhani at Haldiram's, loved it"],
  ['en', 'The service was bekaar honestly, never going back'],
  ['en', 'Acha, so the update finally dropped and it fixed the battery'],
  ['en', 'My yoga mat from Acme is great'],
  ['en', 'Hi, is the Acme sale on today?'],
  ['en', 'Meet Abhi, Kiran and Sunil at the Diwali mela this weekend'],
  ['en', 'Ordered chai and samosa, the delivery was quick'],
  ['en', 'Main street cafe: kya vibe! The coffee is great though'],
  ['cs', 'je to dobre, ale nic moc'],
  ['cs', 'to je hrozne, uz nikdy vic'],
  ['cs', 'objednal jsem to vcera a jeste to neprislo'],
  ['cs', 'mam rad tuhle kavu, je fakt super'],
  ['es', 'el servicio es muy malo, no hay nadie que conteste'],
  ['es', 'me encanta este telefono, es genial'],
];

// Indonesian, Malay and Tagalog, which Earshot does not detect, and whose short words romanised
// Hindi also writes ("hai" is "hi" in Malay and Indonesian; "ke", "ka", "na", "ko"): no language or
// a wrong Latin one, as before, but never hi.
const UNDETECTED_LANGUAGES = [
  'pelayanan di sini sangat bagus, saya suka sekali',
  'hai kak, apakah barang ini masih ada?',
  'aplikasinya lemot banget, kapan diperbaiki?',
  'saya sudah pesan tapi belum sampai juga',
  'hai kak, ke mana aja? barang ini ada ga',
  'hai semua, kedai ni memang best lah, nak pergi lagi',
  'saya tak suka servis dia, lambat sangat',
  'ang ganda ng phone na ito, sulit talaga',
  'hindi ko gusto ang serbisyo nila, ang bagal',
  'ikaw ba ang may-ari nito? ang bagal ng delivery ko',
  'Salamat po sa mabilis na delivery',
];

const NOT_HINDI = [...OTHER_LANGUAGES.map(([, text]) => text), ...UNDETECTED_LANGUAGES];

describe('romanised Hindi is detected as hi', () => {
  for (const text of ROMANISED_HINDI) {
    it(`names hi for "${text}"`, () => {
      const result = detectLanguage(text);
      expect(result.lang).toBe('hi');
      expect(result.confidence).toBeGreaterThanOrEqual(MIN_CONFIDENCE);
    });
  }

  for (const [lang, text] of OTHER_LANGUAGES) {
    it(`keeps "${text}" ${lang}`, () => {
      expect(detectLanguage(text).lang).toBe(lang);
    });
  }

  for (const text of UNDETECTED_LANGUAGES) {
    it(`does not take "${text}" for hi`, () => {
      expect(detectLanguage(text).lang).not.toBe('hi');
    });
  }

  it('finds all of the romanised Hindi posts and nothing else on this corpus (recall and precision 1)', () => {
    const found = ROMANISED_HINDI.filter((text) => detectLanguage(text).lang === 'hi').length;
    const wrong = NOT_HINDI.filter((text) => detectLanguage(text).lang === 'hi').length;
    expect({ recall: found / ROMANISED_HINDI.length, precision: found / (found + wrong) }).toEqual({ recall: 1, precision: 1 });
  });

  it('takes one Hindi word in an English post, or one short word Hindi shares with other languages, for no Hindi', () => {
    expect(detectLanguage('Great service, thank you bhai').lang).toBe('en');
    expect(detectLanguage('The biryani was bakwas').lang).toBe('en');
    // "hai" is Malay and Indonesian for "hi"; "ke" and "ka" are also Indonesian, Czech and Tagalog words.
    expect(detectLanguage('hai kak').lang).toBeNull();
    expect(detectLanguage('ke ka ko se').lang).toBeNull();
  });

  it('still tells Hindi from Nepali in Devanagari, and romanised Hindi leaves Devanagari alone', () => {
    expect(detectLanguage('मेरा फ़ोन अच्छा है').lang).toBe('hi');
    expect(detectLanguage('मेरो फोन राम्रो छ').lang).toBe('ne');
    expect(detectLanguage('यह phone accha nahi है').lang).toBe('hi');
  });
});
