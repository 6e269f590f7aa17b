import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../../../src/domain/sentiment/sentiment.analyser.js';

// Posts from the 2026 marketer's audit of model 1.6.2 (a café chain Kofi, a bank Fondo, a payments
// app Zipply), each read wrongly before 1.6.3, and their kin. Scored as ingest scores them: the
// post's language given, the brand's matched terms left out.
const scorer = createScorer();
const analyser = createSentimentAnalyser();
const BRAND_TERMS = ['kofi*', 'fond*', 'zipply', 'کوفی', 'فوندو', 'زیپلی'];
const label = (lang: string | null, text: string) => scorer.score({ title: null, text, langHint: lang, ignore: BRAND_TERMS }).sentiment.label;
const score = (lang: string, text: string) => analyser.analyse(text, lang)!.score;

type Row = [lang: string | null, text: string, gold: 'positive' | 'neutral' | 'negative'];
const each = (rows: Row[]) => {
  for (const [lang, text, gold] of rows) expect(label(lang, text), `${lang}: ${text}`).toBe(gold);
};

describe('Tamil இல்லை joined to the word it negates', () => {
  it('reads "மோசமில்லை" (not bad) and "ஏமாற்றியதில்லை" (never disappointed) as praise, "நல்லதில்லை" (not good) as a complaint', () => {
    each([
      ['ta', 'Kofi புது லாட்டே மோசமில்லை', 'positive'],
      ['ta', 'மோசமில்லை, எதிர்பார்த்ததை விட நன்றாக இருக்கிறது', 'positive'],
      ['ta', 'Kofi ஒருபோதும் ஏமாற்றியதில்லை 👌', 'positive'],
      ['ta', 'இது நல்லதில்லை', 'negative'],
      ['ta', 'காபி நல்லாயில்லை', 'negative'],
      ['ta', 'காபி நன்றாக இல்லை', 'negative'],
      ['ta', 'ஊழியர்கள் நடத்தை சரியில்லை', 'negative'],
    ]);
    // Spoken இல்ல joins the same way.
    expect(score('ta', 'மோசமில்ல')).toBeGreaterThan(0.3);
  });
});

describe('a bank\'s or an app\'s everyday nouns are news, not verdicts', () => {
  it('reads payments, fees, friends and loyalty cards as neutral in en, cs, fa, hi and ne', () => {
    each([
      [null, 'Does anyone know if Fondo charges for international transfers?', 'neutral'],
      [null, 'Meeting a friend at Kofi at 3, then heading to the bank', 'neutral'],
      [null, "Kofi's loyalty card now works in the app", 'neutral'],
      ['cs', 'Neví někdo, jestli si Fondo účtuje poplatky za zahraniční platby?', 'neutral'],
      ['cs', 'Věrnostní karta Kofi teď funguje i v aplikaci', 'neutral'],
      ['fa', 'زیپلی امروز نسخه‌ی ۵ را با امکان پرداخت گروهی معرفی کرد', 'neutral'],
      ['fa', 'ساعت سه با یه دوست توی کوفی قرار دارم', 'neutral'],
      ['hi', 'तीन बजे एक दोस्त से Kofi में मिलना है', 'neutral'],
      ['ne', 'Zipply मा अब QR भुक्तानी पनि गर्न मिल्छ', 'neutral'],
    ]);
    expect(score('ne', 'प्रमुख कार्यकारी अधिकृत')).toBe(0);
    expect(score('ta', 'தலைமை நிர்வாக அதிகாரி')).toBe(0);
  });

  it('keeps the complaint where it is said: an outage you cannot pay through, hidden fees, an app that does not work', () => {
    each([
      [null, "Zipply has been down for 3 hours, can't pay anyone", 'negative'],
      [null, 'Moving my account to Monzo, done with the hidden fees', 'negative'],
      ['cs', 'Odcházím k Revolutu, mám dost skrytých poplatků', 'negative'],
      ['cs', 'Ve Fondu mi zase nefungovala karta', 'negative'],
      ['cs', 'Aplikace nefunguje', 'negative'],
    ]);
  });

  it('reads Persian "دوست دارم" (I like it) as praise and "دوست ندارم" as a complaint, now that "دوست" alone is a friend', () => {
    each([['fa', 'این قهوه رو دوست دارم', 'positive'], ['fa', 'این قهوه رو دوست ندارم', 'negative']]);
  });
});

describe('a price rise is a complaint; the verb alone is not praise', () => {
  it('reads raised prices and fees as negative in en, cs, fa, hi, ne, gu and ta', () => {
    each([
      [null, 'Kofi raised prices again', 'negative'],
      [null, 'Price increase at Kofi, 4.50 for a latte now', 'negative'],
      [null, 'Fondo fees keep going up', 'negative'],
      ['cs', 'Fondo zase zdražilo vedení účtu. Fakt?', 'negative'],
      ['cs', 'Kofi zvýšilo ceny', 'negative'],
      ['fa', 'کوفی قیمت‌ها را بالا برد', 'negative'],
      ['hi', 'Fondo ने फिर से महीने की फीस बढ़ा दी। सच में?', 'negative'],
      ['ne', 'Kofi ले फेरि कफीको भाउ बढायो', 'negative'],
      ['gu', 'Fondo એ ફરીથી મહિનાની ફી વધારી દીધી. ખરેખર?', 'negative'],
      ['ta', 'Kofi காபியின் விலையை உயர்த்தியது', 'negative'],
    ]);
  });

  it('leaves "increase" and "raise" neutral when what rises is not a price', () => {
    each([
      [null, 'Sales increased this quarter', 'neutral'],
      ['fa', 'کوفی کیفیت را بالا برد', 'neutral'],
      ['ta', 'Kofi திங்கள் முதல் விலையை பத்து ரூபாய் உயர்த்துகிறது', 'neutral'],
    ]);
  });
});

describe('outages, waits on hold and queues', () => {
  it('reads an app that is down, crashes or shows errors as a complaint in every script', () => {
    each([
      [null, 'Zipply is down again', 'negative'],
      ['cs', 'Zipply nejde už tři hodiny, nemůžu nikomu poslat peníze', 'negative'],
      ['hi', 'Zipply तीन घंटे से बंद है, किसी को पैसे नहीं भेज पा रहा', 'negative'],
      ['hi', 'पैसे ट्रांसफर करते वक़्त Fondo का ऐप बार-बार क्रैश हो जाता है', 'negative'],
      ['ne', 'पैसा ट्रान्सफर गर्दा Fondo को एप बारम्बार क्र्यास हुन्छ', 'negative'],
      ['ta', 'பணம் அனுப்பும்போது Fondo ஆப் அடிக்கடி கிராஷ் ஆகுது', 'negative'],
      ['gu', 'Zipply માં વારંવાર એરર આવે છે', 'negative'],
      ['fa', 'اپلیکیشن زیپلی مدام کرش میکنه', 'negative'],
      ['es', 'La app está caída otra vez', 'negative'],
      ['pt', 'O app está fora do ar', 'negative'],
      ['de', 'Die App ist schon wieder down', 'negative'],
      ['ar', 'التطبيق ما يشتغل', 'negative'],
    ]);
  });

  it('reads a wait on hold and a long queue as a complaint, and "is a joke" as one', () => {
    each([
      [null, '40 mins on hold with Fondo support. Still nothing.', 'negative'],
      [null, 'The queue at Kofi was long again this morning', 'negative'],
      [null, 'Fondo customer service is a joke', 'negative'],
      ['cs', 'V Kofi byla zase dlouhá fronta', 'negative'],
      ['hi', 'Fondo कस्टमर केयर पर चालीस मिनट से होल्ड पर हूँ', 'negative'],
      ['ne', 'Fondo को ग्राहक सेवामा चालीस मिनेटदेखि होल्डमा छु, अझै केही भएन', 'negative'],
      ['ta', 'Fondo கஸ்டமர் கேர்ல நாற்பது நிமிஷமா ஹோல்டுல இருக்கேன்', 'negative'],
      ['fa', 'صف کوفی امروز صبح باز هم طولانی بود', 'negative'],
    ]);
  });

  it('leaves opening hours, "down to earth" and "o to nejde" (that is not the point) alone, and "no queue" is praise', () => {
    each([
      ['hi', 'Kofi रविवार को बंद रहता है', 'neutral'],
      [null, 'No queue at all this morning, lovely', 'positive'],
    ]);
    expect(score('en', 'The film is down to earth')).toBe(0);
    expect(score('cs', 'O to nejde')).toBe(0);
  });
});

describe('lukewarm verdicts', () => {
  it('reads "nothing special" and "not what it used to be" as complaints in cs, hi, ne, fa, ta and gu', () => {
    each([
      ['cs', 'Nové menu v Kofi nic moc', 'negative'],
      ['cs', 'Zákaznická linka Fonda je k ničemu', 'negative'],
      ['hi', 'Kofi का नया मेन्यू कुछ ख़ास नहीं है', 'negative'],
      ['hi', 'Fondo की सर्विस अब पहले जैसी नहीं रही', 'negative'],
      ['ne', 'Kofi को नयाँ मेनु खासै केही छैन', 'negative'],
      ['ne', 'Fondo को सेवा पहिलेजस्तो रहेन', 'negative'],
      ['fa', 'منوی جدید کوفی تعریفی نداره', 'negative'],
      ['fa', 'سرویس فوندو دیگه مثل قبل نیست', 'negative'],
      ['ta', 'Fondo சேவை முன்ன மாதிரி இல்லை', 'negative'],
      ['gu', 'Fondo ની સર્વિસ હવે પહેલા જેવી નથી રહી', 'negative'],
    ]);
  });
});

describe('mild everyday complaints: crowded, a wait, an ordinary product', () => {
  // The demo's Persian post and its equivalents read 0.00 in every language before.
  it('reads "it was crowded, we waited, the coffee was ordinary" as a complaint in every language', () => {
    each([
      ['fa', 'امروز کافه آروما خیلی شلوغ بود و منتظر ماندیم. قهوه معمولی بود.', 'negative'],
      ['en', 'It was crowded today and we waited 20 minutes. The coffee was ordinary.', 'negative'],
      ['cs', 'Dnes tam bylo plno a čekali jsme dvacet minut. Káva byla obyčejná.', 'negative'],
      ['hi', 'आज बहुत भीड़ थी और हमें बीस मिनट इंतज़ार करना पड़ा। कॉफ़ी साधारण थी।', 'negative'],
      ['ta', 'இன்று மிகவும் கூட்டமாக இருந்தது, இருபது நிமிடம் காத்திருந்தோம். காபி சாதாரணமாக இருந்தது.', 'negative'],
      ['ne', 'आज धेरै भीड थियो र हामीले बीस मिनेट पर्खनुपर्यो। कफी साधारण थियो।', 'negative'],
      ['gu', 'આજે બહુ ભીડ હતી અને અમારે વીસ મિનિટ રાહ જોવી પડી. કોફી સાધારણ હતી.', 'negative'],
      ['es', 'Estaba abarrotado y tuvimos que esperar veinte minutos. El café era normalito.', 'negative'],
      ['pt', 'Estava lotado e tivemos que esperar vinte minutos. O café era normalzinho.', 'negative'],
      ['de', 'Es war überfüllt und wir mussten zwanzig Minuten warten. Der Kaffee war durchschnittlich.', 'negative'],
      ['fr', "C'était bondé et on a attendu vingt minutes. Le café était moyen.", 'negative'],
      ['ar', 'كان المقهى مزدحم اليوم و انتظرنا عشرين دقيقة. القهوة كانت عادية.', 'negative'],
      // Detected rather than hinted, as the demo scores it.
      [null, 'امروز کافه آروما خیلی شلوغ بود و منتظر ماندیم. قهوه معمولی بود.', 'negative'],
    ]);
  });

  it('reads each of the three alone as a complaint', () => {
    each([
      ['en', 'Kofi was way too crowded this morning', 'negative'],
      ['en', 'It is always crowded on Saturdays', 'negative'],
      ['en', 'We waited 40 minutes for a table', 'negative'],
      ['en', 'Had to wait ages for my order', 'negative'],
      ['en', 'They kept us waiting', 'negative'],
      ['en', 'Just average coffee', 'negative'],
      ['en', 'The latte was ordinary', 'negative'],
      ['cs', 'V Kofi bylo narváno', 'negative'],
      ['cs', 'Museli jsme čekat půl hodiny', 'negative'],
      ['cs', 'Káva byla průměrná', 'negative'],
      ['fa', 'کافه خیلی شلوغ بود', 'negative'],
      ['fa', 'نیم ساعت معطل شدیم', 'negative'],
      ['hi', 'कॉफ़ी औसत थी', 'negative'],
      ['hi', 'बहुत भीड़ है', 'negative'],
      ['ta', 'இருபது நிமிடம் காத்திருக்க வேண்டியிருந்தது', 'negative'],
      ['ta', 'காபி சுமாராக இருந்தது', 'negative'],
      ['gu', 'કોફી સાધારણ હતી', 'negative'],
    ]);
  });

  it('leaves no wait, no crowd, a wait worth it and crowdfunding alone', () => {
    each([
      ['en', 'No wait at all, lovely', 'positive'],
      ['en', "We didn't have to wait", 'neutral'],
      ['en', "It wasn't crowded", 'neutral'],
      ['en', 'Not too crowded this morning, nice', 'positive'],
      ['en', "We waited for the launch and it's great", 'positive'],
      ['en', 'Kofi is crowdfunding its new roastery', 'neutral'],
      ['en', 'Kofi enters a crowded market', 'neutral'],
      ['en', 'The latte was above average', 'neutral'],
      ['en', 'The average price of a flat white', 'neutral'],
      ['cs', 'Nemuseli jsme čekat, skvělé', 'positive'],
      ['cs', 'Nebylo tam plno', 'neutral'],
      ['cs', 'Čekali jsme na nový model a je skvělý', 'positive'],
      // čekat is also "to expect".
      ['cs', 'Není to vůbec špatné, čekal jsem horší', 'positive'],
      ['fa', 'شلوغ نبود', 'neutral'],
      ['fa', 'منتظر نماندیم', 'neutral'],
      ['hi', 'भीड़ नहीं थी', 'neutral'],
      ['hi', 'हमें इंतज़ार नहीं करना पड़ा', 'neutral'],
      ['ta', 'கூட்டமாக இல்லை', 'neutral'],
      ['de', 'Wir mussten nicht lange warten, super', 'positive'],
      ['de', 'Die Anlage wird regelmäßig gewartet', 'neutral'],
    ]);
  });
});

describe('English loanwords in Devanagari and Tamil script, and cold food', () => {
  it('reads स्मूद, परफेक्ट, स्मुथ, ஸ்மூத், வேஸ்ட் as Gujarati reads its loanwords', () => {
    each([
      ['hi', 'Zipply का नया अपडेट बहुत स्मूद है', 'positive'],
      ['hi', 'दोस्तों के साथ बिल बाँटने के लिए Zipply एकदम परफेक्ट है', 'positive'],
      ['ne', 'Zipply को नयाँ अपडेट एकदमै स्मुथ छ', 'positive'],
      ['ta', 'Zipply புது அப்டேட் ரொம்ப ஸ்மூத்தா இருக்கு', 'positive'],
      ['ta', 'Fondo சர்வீஸ் வேஸ்ட்', 'negative'],
    ]);
  });

  it('does not read Hindi ठंडा (cold) as "cool" praise, and बासी (stale) is a complaint', () => {
    each([['hi', 'Kofi की कॉफ़ी ठंडी थी और क्रोइसां बासी', 'negative']]);
    expect(score('hi', 'ठंडा')).toBe(0);
  });
});

describe('a request to fix it', () => {
  // The SWOT audit: "Please fix this bug" read positive through "please" (+1.3); "ठीक करो", "சரி பண்ணுங்க"
  // and "درستش کنید" through the "right", "fine" of the fixing verb.
  it('reads "please fix", "fix your app" and a fault not fixed yet as complaints, in every language', () => {
    each([
      [null, 'Sunbean app crashes every time I open the menu. Please fix this bug.', 'negative'],
      ['en', 'Please fix this bug', 'negative'],
      ['en', 'Fix your app', 'negative'],
      ['en', 'pls fix', 'negative'],
      ['en', 'Still broken', 'negative'],
      ['en', "It still hasn't been fixed", 'negative'],
      ['cs', 'Opravte to prosím', 'negative'],
      ['cs', 'Opravte aplikaci', 'negative'],
      ['cs', 'Pořád rozbité', 'negative'],
      ['es', 'Arreglen esto por favor', 'negative'],
      ['pt', 'Consertem isso por favor', 'negative'],
      ['de', 'Bitte repariert das', 'negative'],
      ['fr', 'Réparez ça svp', 'negative'],
      ['hi', 'कृपया इसे ठीक करें', 'negative'],
      ['hi', 'ऐप ठीक करो', 'negative'],
      ['ne', 'कृपया यो ठीक गर्नुहोस्', 'negative'],
      ['gu', 'મહેરબાની કરીને આ ઠીક કરો', 'negative'],
      ['ta', 'இதை சரி பண்ணுங்க', 'negative'],
      ['fa', 'لطفا درستش کنید', 'negative'],
      ['ar', 'صلحوا التطبيق', 'negative'],
    ]);
  });

  it('leaves a fix that was made, "please" elsewhere and "fine" alone as they were', () => {
    each([
      ['en', 'They fixed the bug, thanks', 'positive'],
      ['en', 'Please come again, lovely place', 'positive'],
      ['hi', 'सब ठीक है', 'positive'],
      // "por favor" is "please", not the package's "favour" (+1.6): this read positive.
      ['es', 'Por favor, ¿dónde está la tienda?', 'neutral'],
    ]);
  });

  it('knows "crashes" and the other -es forms of English lexicon words', () => {
    expect(score('en', 'the app crashes')).toBeLessThan(-0.3);
    expect(score('en', 'the app crashes')).toBeCloseTo(score('en', 'the app crash'), 6);
  });
});

describe('a complaint put as a question', () => {
  // The marketer's audit: 0 of its 7 complaint questions read negative.
  it('reads "why … again / every time / still / keeps", "how long … wait" and "when will … work" as complaints', () => {
    each([
      [null, 'Why does Zipply log me out every single time??', 'negative'],
      ['en', 'why does it log me out every time??', 'negative'],
      ['en', 'why is the app down again?', 'negative'],
      ['en', 'how long do I have to wait?', 'negative'],
      ['en', 'Why does it keep logging me out?', 'negative'],
      ['en', 'When will it work again?', 'negative'],
      ['cs', 'Proč mě Zipply pořád odhlašuje??', 'negative'],
      ['cs', 'Jak dlouho mám ještě čekat?', 'negative'],
      ['fa', 'چرا زیپلی هر بار منو از حساب بیرون میندازه؟؟', 'negative'],
      ['hi', 'Zipply हर बार लॉग आउट क्यों कर देता है??', 'negative'],
      ['hi', 'फिर से क्यों बंद है?', 'negative'],
      ['ne', 'Zipply ले हरेक पटक किन लग आउट गरिदिन्छ??', 'negative'],
      ['gu', 'Zipply દર વખતે લોગ આઉટ કેમ કરી દે છે??', 'negative'],
      ['ta', 'Zipply ஏன் ஒவ்வொரு தடவையும் லாக் அவுட் ஆகுது??', 'negative'],
      ['es', '¿Por qué se cae otra vez la app?', 'negative'],
      ['ar', 'ليش التطبيق يعلق كل مرة؟', 'negative'],
    ]);
  });

  it('leaves questions that only ask, praise put as a question and a statement alone', () => {
    each([
      ['en', 'When will Kofi open again?', 'neutral'],
      ['en', 'How long does delivery take?', 'neutral'],
      ['en', 'Why?', 'neutral'],
      ['en', 'Why is Kofi always so good?', 'positive'],
      ['en', 'I always go there again', 'neutral'],
      ['cs', 'Proč je Kofi pořád tak skvělé?', 'positive'],
      ['hi', 'क्या Kofi रविवार को खुला रहता है?', 'neutral'],
    ]);
  });
});
