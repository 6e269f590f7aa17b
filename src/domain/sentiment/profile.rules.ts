import { HINDI_NEGATED_VERBS } from './profile.hindi-verbs.js';
import type { NegatedVerbs } from './sentiment.negated-verbs.js';

/**
 * Per-language rules, written by hand: negation words and where they stand relative to what they
 * negate, intensifiers, contrastive conjunctions, negating affixes, and a short list of common
 * social-media sentiment words the package lexicons lack or mistranslate (VADER scale, −4..4).
 */
export interface LanguageRules {
  negators: string;
  intensifiers: string;
  diminishers: string;
  contrast: string;
  /** Contrastive only where they open a clause (see SentimentProfile.clauseContrast). */
  clauseContrast?: string;
  negationBefore: number;
  negationAfter: number;
  /** Negators follow the word they negate and negate only one sentiment word (see SentimentProfile). */
  negatorFollowsWord?: boolean;
  /** What those negators negate before a verb of receiving or seeing (see NegatedVerbs). */
  negatedVerbs?: NegatedVerbs;
  /** Negators that close a question as a tag ("…, isn't it?") and then negate nothing (see SentimentProfile). */
  questionTags?: string;
  negativePrefixes?: string[];
  negativeSuffixes?: string[];
  /** What a negating ending elides from the word it joins (see SentimentProfile.suffixElisions). */
  suffixElisions?: string[];
  superlativePrefix?: string;
  /** Intensifiers that are a verdict of their own where they modify no sentiment word (see SentimentProfile.standalone). */
  standalone?: string;
  /**
   * Neutral words whose inflections are neutral too: listed as 0 and their stem taken out of the
   * stemmer's guesses (Tamil "செய்ய", to do, stems like the package's "செய்தபின்" +2.4, so every
   * form of "do" scored as praise).
   */
  neutralStems?: string;
  /** Negators that reach fewer words ahead than negationBefore (a preposition "without" governs the noun after it). */
  negatorReach?: Record<string, number>;
  /** Endings speech writes onto a predicate (see SentimentProfile.copulaSuffixes), longest first. */
  copulaSuffixes?: string[];
  /**
   * Which Latin-script words of a post the English profile reads, with English negation (code-mixed
   * posts: "अमूल का दूध बहुत bad है", "objednávka fakt slow"): 'all' in a language written in another
   * script, where Latin words are English or names; 'unlisted' in a Latin-script language, the
   * words its own lexicon does not list. Absent: none (Spanish "sin", German "gift", French "pain"
   * are that language's own words far more often).
   */
  english?: 'all' | 'unlisted';
  /** Latin words English must leave alone in this language's posts: its own, or romanised ones, spelled like an English sentiment word. */
  notEnglish?: string;
  lexicon: Record<string, number>;
  phrases?: Record<string, number>;
}

export const LANGUAGE_RULES: Record<string, LanguageRules> = {
  // Czech negates with the prefix ne- on verbs and adjectives (nefunguje, nespokojený) and forms
  // superlatives with nej- (nejlepší, nejhorší), which must not be read as ne- + "jlepší".
  cs: {
    negators: 'ne nikdy žádný žádná žádné žádnou nic nikdo bez není nejsem nejsi nejsme nejste nejsou nebyl nebyla nebylo nebyli nemám nemá nelze ani',
    // "velký" (big) strengthens what it stands before: "velká chyba" is a big mistake, "velká radost" a
    // great joy. AFINN's translation had it as praise, so "Velký problém s doručením" read positive.
    intensifiers: 'velmi moc hodně fakt opravdu strašně hrozně naprosto úplně extrémně totálně neskutečně mega fakticky vážně příliš '
      + 'velký velká velké velkou velkého velkému velkém velkým velcí velkých velkými',
    diminishers: 'trochu trošku celkem málo skoro téměř sotva',
    contrast: 'ale však jenže avšak',
    negationBefore: 3,
    negationAfter: 0,
    negativePrefixes: ['ne'],
    superlativePrefix: 'nej',
    english: 'unlisted',
    // "po" (after; VADER's "pissed off", −2.6), "no" (well), "sad" (orchard), "most" (bridge), "more" (sea),
    // "ty" (you, those; VADER's "thank you", +1.6: "ty vole" and "ty ceny" were praise).
    notEnglish: 'po no sad most more ty',
    lexicon: {
      skvělý: 3, skvělá: 3, skvělé: 3, super: 2.5, paráda: 3, výborný: 3, výborné: 3, výborně: 3, vynikající: 3.2, úžasný: 3.2,
      úžasná: 3.2, perfektní: 3.2, dobrý: 2, dobré: 2, dobrá: 2, dobře: 1.8, spokojený: 2.2, spokojená: 2.2, spokojenost: 2.2,
      děkuji: 2, děkuju: 2, díky: 1.8, doporučuji: 2.2, doporučuju: 2.2, krásný: 2.6, nádherné: 2.8, nádherný: 2.8, milí: 2,
      milý: 2, ochotná: 1.8, nadšený: 2.8, nadšená: 2.8, šťastný: 2.8, radost: 2.5, líbí: 2, nejlepší: 3.2, kvalitní: 2,
      špatný: -2.5, špatná: -2.5, špatné: -2.5, hrozný: -3, hrozná: -3, hrůza: -3, strašný: -3, katastrofa: -3.2, ostuda: -2.8,
      zklamaný: -2.4, zklamaná: -2.4, zklamání: -2.4, podvod: -3.2, rozbil: -2, rozbitý: -2, poškozený: -2, špinavý: -2.2,
      špinavá: -2.2, pomalý: -1.5, naštvaný: -2.5, otřesný: -3.2, mizerná: -2.8, mizerný: -2.8, drzý: -2.2, smutné: -2,
      nudný: -2, nejhorší: -3.4, drahé: -1.2, padá: -1.5, nepříjemný: -2, zbytečně: -1.2, nefunkční: -2.5, hlučný: -1.5,
      šílené: -1.8, šílená: -1.8, zpoždění: -1.8, bohužel: -1.5,
      // An order that never came: ne- on a verb the lexicon does not know finds nothing to negate.
      nepřišla: -2, nepřišel: -2, nepřišlo: -2, nedorazila: -2, nedorazil: -2, nedorazilo: -2, nevrátili: -1.5,
      // Translation leftovers that are function words in Czech ("proto" = therefore).
      proto: 0,
      // "Does not work" in the past and plural ("funguje" itself is neutral, below), "is down".
      nefungují: -2, nefungoval: -2, nefungovala: -2, nefungovalo: -2, nefungovali: -2, nefungovaly: -2, nejde: -1.5, nejede: -1.5,
      // To raise the price ("Fondo zase zdražilo"); "zvýšil ceny" is a phrase (profile.complaints.ts).
      zdražil: -1.8, zdražila: -1.8, zdražilo: -1.8, zdražili: -1.8, zdražily: -1.8, zdražuje: -1.8, zdražují: -1.8, zdraží: -1.8,
      zdražení: -1.8,
      // A queue, where a café or a bank makes its customers wait ("žádná fronta" is praise).
      fronta: -1, fronty: -1, frontu: -1, frontě: -1, frontou: -1,
    },
    // "cena" is AFINN's "prize" (+3), but in posts it is the price; "podpora" (support) is a department;
    // "velký" (big) is an intensifier (above), not praise. Fees and payments (AFINN "fees" −1.6), account
    // "vedení" (maintenance; AFINN "lead" +0.8) and "funguje" (works: "the card now works in the app")
    // are news of a bank or an app, not verdicts; so are an offer ("nabídka", AFINN +1.6) and shares ("akcie").
    neutralStems: 'cena ceny cenu ceně cenou podpora podporu podpory velký velká velké velkou velkého velkému velkém velkým velcí velkých velkými '
      + 'poplatek poplatky poplatků poplatkem platba platby platbu platbě vedení funguje fungují fungoval fungovala fungovalo fungovali '
      + 'nabídka nabídku nabídky akcie',
    phrases: {
      'už nikdy': -2.4, 'vysoká cena': -1.5, 'cena je vysoká': -1.5, 'cena je moc vysoká': -2, 'cena je příliš vysoká': -2,
      'cena je šílená': -2,
    },
  },
  es: {
    negators: 'no nunca jamás ni nada nadie ningún ninguna ninguno sin tampoco',
    intensifiers: 'muy mucho muchísimo tan súper super demasiado realmente totalmente increíblemente sumamente re',
    diminishers: 'poco algo apenas casi ligeramente',
    contrast: 'pero embargo',
    negationBefore: 3,
    negationAfter: 0,
    lexicon: {
      genial: 3, excelente: 3.2, increíble: 3, maravilloso: 3.2, fantástico: 3.2, perfecto: 3, encanta: 3, encantado: 2.8,
      buenísimo: 3, bueno: 2, buena: 2, gracias: 2, recomiendo: 2.2, recomendable: 2.2, feliz: 2.8, contento: 2.4,
      contenta: 2.4, alegría: 2.8, mejor: 2.2, mejores: 2.2, amable: 2, bonito: 2.4, precioso: 2.8, orgullo: 2.4,
      malo: -2.5, mala: -2.5, pésimo: -3.2, pésima: -3.2, horrible: -3, terrible: -3, peor: -3, desastre: -3, vergüenza: -2.6,
      decepción: -2.6, estafa: -3.2, roto: -2, sucio: -2.2, lento: -1.5, lentísimo: -2, aburrida: -2, aburrido: -2, harto: -2.4,
      triste: -2.2, grosero: -2.4, caro: -1.2, carísimo: -2, abusivos: -2.2, odio: -3.2, retrasos: -1.8, ruidosa: -1.5,
      antipático: -2.2, confuso: -1.5, cuelga: -1.5, super: 2.5, súper: 2.5,
    },
    standalone: 'super súper',
    // Stem guesses from "precios" (+2.4), "calidades"… on the nouns of every shopping post.
    // "entrega" (delivery; a stem guess from SentiCon's "entreg", +1.9) is an order's news, not praise.
    neutralStems: 'precio precios calidad comida esperaba esperando puedo barrio viene entrega',
    phrases: {
      'nada mal': 1.8, 'nunca más': -2.4, 'vale la pena': 2, 'no sirve': -2.4, 'una pena': -1.8, 'demasiado caro': -2,
      'precio es demasiado alto': -2, 'precio demasiado alto': -2, 'precio es muy alto': -1.8, 'precio muy alto': -1.8,
    },
  },
  pt: {
    negators: 'não nunca jamais nem nada ninguém nenhum nenhuma sem tampouco',
    intensifiers: 'muito muita muitos muitas super demais tão totalmente extremamente bastante realmente',
    diminishers: 'pouco meio quase',
    contrast: 'mas porém entretanto contudo',
    negationBefore: 3,
    negationAfter: 0,
    lexicon: {
      ótimo: 3, ótima: 3, excelente: 3.2, incrível: 3, maravilhoso: 3.2, fantástica: 3.2, fantástico: 3.2, perfeito: 3,
      amei: 3, adorei: 3, encantado: 2.8, bom: 2, boa: 2, obrigado: 2, obrigada: 2, valeu: 2, recomendo: 2.2, feliz: 2.8,
      satisfeita: 2.4, satisfeito: 2.4, alegria: 2.8, melhor: 2.2, melhores: 2.2, simpático: 2, lindo: 2.6, bonito: 2.4,
      orgulho: 2.4, gostei: 2.2, educado: 1.8, ruim: -2.5, péssimo: -3.2, péssima: -3.2, horrível: -3, pior: -3, desastre: -3,
      vergonha: -2.6, decepção: -2.6, golpe: -3, quebrou: -2, quebrado: -2, sujo: -2.2, lenta: -1.5, chato: -2, cansado: -1.5,
      triste: -2.2, grosso: -2.2, caro: -1.2, absurdos: -2.2, odeio: -3.2, barulhento: -1.5, confuso: -1.5, trava: -1.5,
      atrasou: -1.8, 'mal-educados': -2.2, super: 2.5,
    },
    standalone: 'super',
    neutralStems: 'qualidade suporte esperava esperando dinheiro sair',
    phrases: { 'nunca mais': -2.4, 'uma pena': -1.8, 'não serve': -2.4, 'caro demais': -2 },
  },
  // German puts nicht after the verb it negates ("gefällt mir nicht"), so negation looks both ways.
  de: {
    negators: 'nicht kein keine keinen keinem keiner keines nie niemals nichts niemand ohne weder',
    intensifiers: 'sehr echt total voll extrem richtig wirklich super besonders absolut mega so zu völlig äußerst unglaublich einfach überhaupt',
    diminishers: 'etwas bisschen wenig kaum fast leicht ziemlich',
    contrast: 'aber jedoch allerdings',
    negationBefore: 3,
    negationAfter: 2,
    lexicon: {
      super: 2.5, toll: 2.8, tolle: 2.8, tolles: 2.8, genial: 3, ausgezeichnet: 3.2, ausgezeichnete: 3.2, wunderbar: 3.2,
      fantastisch: 3.2, fantastisches: 3.2, perfekt: 3, bestens: 2.8, danke: 2, empfehlenswert: 2.4, empfehlen: 2,
      zufrieden: 2.4, glücklich: 2.8, freue: 2.4, begeistert: 2.8, lecker: 2.6, leckeres: 2.6, gut: 2, gute: 2, nett: 2,
      freundlich: 2, beste: 3, besten: 3, liebe: 2.6, geil: 2.4, geiles: 2.4, stolz: 2.4, schön: 2.4, wunderschönes: 3,
      hervorragend: 3.2, einwandfrei: 2.6, schlecht: -2.5, schlechte: -2.5, schlechteste: -3.4, furchtbar: -3, furchtbarer: -3,
      schrecklich: -3, schreckliches: -3, katastrophe: -3.2, frechheit: -2.8, enttäuschung: -2.6, betrug: -3.2, kaputt: -2.2,
      dreckig: -2.2, langsam: -1.5, langsames: -1.5, langweilig: -2, genervt: -2.4, traurig: -2.2, unfreundlich: -2.2,
      teuer: -1.2, wucherpreise: -2.8, miserable: -3, hasse: -3.2, verspätung: -1.8, laut: -1, lautes: -1, unhöflich: -2.2,
      unübersichtlich: -1.5, schmutziges: -2.2, nutzlos: -2.4, schade: -1.8, schande: -2.8, schlimmste: -3.4, stürzt: -1.5,
      gefällt: 2.2, gefallen: 2.2, gutes: 2, guter: 2, guten: 2, klasse: 2.6,
      // "Better" (English 1.9): the package's list drops it as a stopword, so "Globex ist besser" read nothing.
      besser: 1.9, bessere: 1.9, besseren: 1.9, besserer: 1.9, besseres: 1.9,
      // An outage, a wait on hold.
      störung: -1.5, warteschleife: -1.5,
    },
    standalone: 'super',
    // "schon" (already) stems like "schön".
    neutralStems: 'schon',
    phrases: { 'nie wieder': -2.4, 'gerne wieder': 2.4 },
  },
  fr: {
    negators: 'ne pas jamais rien personne aucun aucune sans ni',
    intensifiers: 'très trop vraiment super tellement si hyper ultra extrêmement complètement totalement absolument vachement',
    diminishers: 'peu presque plutôt',
    contrast: 'mais cependant pourtant toutefois',
    negationBefore: 3,
    negationAfter: 2,
    lexicon: {
      génial: 3, géniale: 3, excellent: 3.2, excellente: 3.2, incroyable: 3, magnifique: 3.2, fantastique: 3.2, parfait: 3,
      parfaitement: 2.6, adore: 3, ravi: 2.8, ravie: 2.8, merci: 2, recommande: 2.2, satisfaite: 2.4, satisfait: 2.4,
      content: 2.4, contente: 2.4, heureux: 2.8, meilleur: 2.6, meilleurs: 2.6, gentil: 2, sympa: 2, superbe: 3, splendide: 3,
      délicieux: 3, joli: 2.2, fierté: 2.4, plaisir: 2.4, enchanté: 2.6, bon: 2, bons: 2, mauvais: -2.5, mauvaise: -2.5,
      horrible: -3, affreuse: -3, pire: -3, catastrophe: -3.2, honteux: -2.8, honte: -2.8, déception: -2.6, arnaque: -3.2,
      cassé: -2, sale: -2.2, lent: -1.5, ennuyeux: -2, marre: -2.6, triste: -2.2, impoli: -2.2, cher: -1.2, abusifs: -2.2,
      médiocre: -2, déteste: -3.2, retard: -1.8, bruyante: -1.5, désagréable: -2.2, confus: -1.5, inutile: -2.2, plante: -1.5,
      dommage: -1.8, panne: -2, super: 2.5,
    },
    standalone: 'super',
    neutralStems: 'nouveau nouvelle nouveaux',
    phrases: { 'plus jamais': -2.4, 'pas mal': 1.8, 'trop cher': -2 },
  },
  // Hindi negation stands before the verb or right after the predicate ("पसंद नहीं", "अच्छा नहीं है").
  hi: {
    negators: 'नहीं नही न ना मत बिना',
    intensifiers: 'बहुत बेहद काफ़ी काफी बड़ा सबसे एकदम बिल्कुल ज़्यादा ज्यादा अत्यंत इतना कितना बड़ी बहुतही',
    diminishers: 'थोड़ा थोड़ी ज़रा',
    contrast: 'लेकिन मगर किंतु परंतु',
    negationBefore: 2,
    negationAfter: 3,
    negatorFollowsWord: true,
    // "रिफंड नहीं मिला" (the refund did not come), "ऐसा घटिया कभी नहीं देखा" (never seen anything so bad).
    negatedVerbs: HINDI_NEGATED_VERBS,
    // "अच्छा है ना?" (it's good, isn't it?); "नहीं?" closing a question can be a real one ("पसंद नहीं?").
    questionTags: 'ना न',
    english: 'all',
    // Romanised हाँ/है ("ha", yes/is), not a laugh.
    notEnglish: 'ha',
    lexicon: {
      शानदार: 3, बढ़िया: 2.8, अच्छा: 2, अच्छी: 2, अच्छे: 2, बेहतरीन: 3.2, अद्भुत: 3.2, लाजवाब: 3.2, कमाल: 3, सुंदर: 2.6,
      प्यारा: 2.6, स्वादिष्ट: 2.8, खुश: 2.8, ख़ुशी: 2.8, खुशी: 2.8, धन्यवाद: 2, शुक्रिया: 2, संतुष्ट: 2.4, पसंद: 2.2, मज़ा: 2.4,
      गर्व: 2.4, विनम्र: 2, प्रभावित: 2, बेहतर: 2, खराब: -2.5, ख़राब: -2.5, बुरा: -2.5, बुरी: -2.5, घटिया: -3, बेकार: -2.6,
      शर्मनाक: -3, निराशा: -2.6, धोखा: -3.2, गंदा: -2.2, गंदे: -2.2, धीमा: -1.5, उबाऊ: -2, परेशान: -2.2, दुख: -2.2,
      बदतमीज़: -2.6, महंगा: -1.2, उलझा: -1.2, देरी: -1.8, रूखा: -1.8, अफ़सोस: -2, शोर: -1, टूटा: -2, शर्म: -2.4,
      // "ठीक" (fine, all right) is mild, like English "fine"; listed so that "ठीक नहीं" (not right) is negative.
      ठीक: 1,
      // A queue ("कोई कतार नहीं" is praise).
      कतार: -1,
    },
    // "results" (a stem guess from "नतीजों" −1.6), "shop"; "friend" (+0.8); "raised" (+0.8: what rises
    // says which way it goes, profile.complaints.ts); "cold" (the package's "cool", +0.8: cold coffee);
    // "share" (+0.8: a company's shares, as in English); "arrived" (a −1.6 stem guess: "ऑर्डर समय पर
    // पहुंचा", the order came on time, read as a complaint; not coming is one, NegatedVerbs).
    neutralStems: 'नतीजे नतीजों दुकान दोस्त दोस्तों बढ़ा बढ़ाया बढ़ना ठंडा ठंडी ठंडे शेयर पहुंचा पहुँचा पहुंची पहुँची पहुंचे पहुँचे',
    phrases: {
      'पैसा वसूल': 2.6, 'फिर कभी नहीं': -2.4, 'काम का नहीं': -2.2,
      // "So-so" (also written ठीक-ठाक): neither the okay of ठीक nor a complaint.
      'ठीक ठाक': 0,
      'दाम बहुत ज़्यादा': -2, 'दाम बहुत ज्यादा': -2, 'दाम ज़्यादा': -1.8, 'दाम ज्यादा': -1.8,
      'कीमत बहुत ज़्यादा': -2, 'कीमत बहुत ज्यादा': -2, 'कीमत ज़्यादा': -1.8, 'कीमत ज्यादा': -1.8,
    },
  },
  // Nepali negates verbs inside the word: prefix न- (नकिन्नुहोस्), endings -एन/-दैन (परेन, चल्दैन),
  // also after a vowel letter (आएन, गएन) and in the first person (गर्दिनँ, थिइनँ); छैन/होइन and the
  // auxiliaries भएन/थिएन follow what they negate. "नै" is an emphatic particle, not a negator.
  ne: {
    negators: 'छैन छैनन् होइन हैन न बिना नभएको नभई भएन भएनन् थिएन थिएनन्',
    intensifiers: 'धेरै एकदमै एकदम निकै अति साह्रै सबैभन्दा पटक्कै कति बढी',
    diminishers: 'अलिकति थोरै अलि',
    contrast: 'तर तापनि तैपनि',
    negationBefore: 2,
    negationAfter: 3,
    negatorFollowsWord: true,
    // "राम्रो छ न?" (it's good, isn't it?); "नि" in "राम्रो छ नि?" is no negator at all.
    questionTags: 'न',
    english: 'all',
    notEnglish: 'ha',
    negativePrefixes: ['न'],
    // Not a bare "-इन": डिजाइन, लाइन, अनलाइन end that way.
    negativeSuffixes: ['दैन', 'दैनन्', 'ेनन्', 'ेन', 'एनन्', 'एन', 'िनँ', 'इनँ', 'िन'],
    lexicon: {
      राम्रो: 2.4, राम्रा: 2.4, राम्रोसँग: 2, उत्कृष्ट: 3.2, शानदार: 3, अद्भुत: 3.2, लाजवाफ: 3.2, कमालको: 3, सुन्दर: 2.6,
      मिठो: 2.8, खुसी: 2.8, धन्यवाद: 2, सन्तुष्ट: 2.4, रमाइलो: 2.6, गर्व: 2.4, विनम्र: 2, असल: 2.2, प्रभावित: 2, सिफारिस: 1.8,
      नराम्रो: -2.5, खराब: -2.5, बेकार: -2.6, लाजमर्दो: -3, निराश: -2.6, ठगी: -3.2, फोहोर: -2.2, ढिलो: -1.5, बोरिङ: -2,
      दिक्क: -2.2, दुःख: -2.2, असभ्य: -2.6, महँगो: -1.2, ढिलाइ: -1.8, रूखो: -1.8, बिग्रियो: -2.2, फुटेको: -2, लाज: -2.4,
      ठीक: 1,
      // "any/no" as a quantifier ("कुनै समस्या भएन", no problem at all): the package scores it as English "no".
      कुनै: 0,
      // "does not run" (an app, a phone): the bare ending -दैन finds no stem to negate.
      चल्दैन: -2, चलेन: -1.8, चल्दैनन्: -2,
      // "I won't buy": a verdict of its own, like Tamil "வாங்க மாட்டேன்".
      किन्दिनँ: -2, किन्दिन: -2,
      // On hold ("होल्डमा छु"), with the postposition written on.
      होल्डमा: -1.5,
    },
    // Quality, price (the package scores both +2), some, thing, behaviour, surely; "लाग्यो" (felt,
    // seemed: "नराम्रो लाग्यो", felt bad) scored +2.4 and cancelled the word it reports. Payment and fee
    // (−0.8, −1.6), chief (+1.6: "the chief executive resigned"), and the verbs of rising (what rises
    // says which way it goes, profile.complaints.ts).
    neutralStems: 'गुणस्तर मूल्य केही कुरा व्यवहार पक्कै लाग्यो भुक्तानी शुल्क प्रमुख बढ्दै बढ्नु बढाउनु बढायो',
    phrases: {
      'फेरि कहिल्यै': -2.4,
      'मन पर्यो': 2.6, 'मन पर्छ': 2.4, 'मन परेन': -2.4, 'मन पर्दैन': -2.4, 'पैसा असुल': 2.6, 'कुनै कामको छैन': -2.2,
    },
  },
  // Persian negates verbs with the prefix ن-/نمی- and closes sentences with نیست; ZWNJ is folded away.
  fa: {
    negators: 'نه نیست نیستم نیستند نیستی نبود نبودند هیچ بدون هرگز هیچوقت هیچ‌وقت اصلاً اصلا',
    intensifiers: 'خیلی بسیار واقعاً واقعا کاملاً کاملا فوق زیاد بی‌نهایت چقدر',
    diminishers: 'کمی یکم نسبتاً تقریباً',
    contrast: 'اما ولی ولیکن',
    negationBefore: 2,
    negationAfter: 2,
    // "خوبه، نه؟" (it's good, isn't it?) also without the comma; predicates negate with نیست or ن-.
    questionTags: 'نه',
    negativePrefixes: ['نمی', 'ن'],
    // "بدون" (without) governs the noun after it: "بدون اطلاع لغو کرد" (cancelled without notice)
    // negates the notice, not the cancelling.
    negatorReach: { بدون: 1 },
    // Spoken Persian writes the copula onto the predicate: ناراحتم (I'm upset), عالیه (it's great),
    // راضی‌ایم (we're satisfied); ZWNJ is folded away, so "‌ام" is "ام".
    copulaSuffixes: ['ایم', 'یم', 'ام', 'م', 'ه'],
    english: 'all',
    // Finglish "sad" is صد, a hundred.
    notEnglish: 'sad',
    lexicon: {
      عالی: 3, فوق‌العاده: 3.2, خوب: 2, خوبی: 2, خوشمزه: 2.8, بهترین: 3.2, بهتر: 2, خوشحال: 2.8, خوشحالم: 2.8, ممنون: 2,
      ممنونم: 2, مرسی: 2, راضی: 2.4, راضی‌ام: 2.4, مهربان: 2.2, زیبا: 2.6, زیباست: 2.6, قشنگ: 2.6, قشنگی: 2.6, بی‌نظیر: 3.2,
      لذت: 2.4, افتخار: 2.4, مؤدب: 2, عاشق: 3, عاشقش: 3, بد: -2.5, بدی: -2.5, افتضاح: -3.4, بدترین: -3.4, خراب: -2.2,
      زشت: -2.4, ناامید: -2.6, کلاهبرداری: -3.2, کثیف: -2.2, خسته‌کننده: -2, عصبانی: -2.6, عصبانی‌ام: -2.6,
      ناراحت: -2.2, ناراحت‌کننده: -2.2, بی‌ادب: -2.6, گران: -1.2, سرسام‌آور: -2.4, تأخیر: -1.8, بداخلاق: -2.2, شرم‌آور: -3,
      حیف: -1.8, هنگ: -1.5, شکسته: -2, ضعیف: -2, گیج‌کننده: -1.5, گرونه: -1.2, گرانه: -1.2,
      // A queue, where a café or a bank makes its customers wait.
      صف: -1,
      // "New, just" in a brand's posts ("تازه منتشر شد", just released; the package's +0.8): news. Fresh
      // food is praise through the phrases below.
      تازه: 0, 'تازه‌ست': 1.3, 'تازه‌اند': 1.3,
      // Words that end like a listed word with a spoken copula (copulaSuffixes) but are others: minute
      // (دقیق, precise), society (جامع), time/rank (مرتب, tidy), February (فوری, urgent), united
      // (متحد, "ایالات متحده"), minimum (کمین, ambush), "we give" (بدهی, debt).
      دقیقه: 0, جامعه: 0, مرتبه: 0, فوریه: 0, متحده: 0, کمینه: 0, بدهیم: 0,
    },
    // "کند" is "slow" (kond) in the package but mostly "does" (konad), the commonest auxiliary:
    // "کار نمی‌کند" (doesn't work) read as "not slow", praise. Quality, support, more, exhibition,
    // attention and treatment ("برخورد خوب", good treatment) are no verdicts either; nor payment and
    // fee (−0.8), "friend" (+0.8; liking is the phrase "دوست دارم"), "up" and "increase" (+1.6,
    // +0.8: what rises says which way it goes, profile.complaints.ts). A brand's announcements: "آغاز"
    // (start, −2 in the package: "started its Yalda sale" read as a complaint) and shares (+0.8).
    neutralStems: 'کند کیفیت پشتیبانی بیشتر نمایشگاه توجه برخورد پرداخت کارمزد دوست بالا افزایش آغاز سهام',
    phrases: {
      'دوست دارم': 1.6, 'دوستش دارم': 1.6, 'دوست داشتم': 1.6, 'دوست ندارم': -1.6, 'دوستش ندارم': -1.6, 'دوست نداشتم': -1.6,
      'حرف ندارد': 3, 'دمتون گرم': 2.6, 'به هیچ دردی نمی‌خورد': -2.6, 'خوشم آمد': 2.4, 'خوشم نیامد': -2.4, 'خوشم نمی‌آید': -2.4,
      'کار نمی‌کند': -2.2, 'کار نمی‌کنه': -2.2, 'کار نکرد': -2, 'کار نمی‌کرد': -2, 'باز نمی‌شود': -1.8, 'باز نمی‌شه': -1.8,
      'باز نمی‌کند': -1.8, 'جواب نمی‌دهد': -1.8, 'جواب نمیده': -1.8, 'جواب نداد': -1.8, 'خرید نمی‌کنم': -2,
      // Fresh food, as English "fresh" (+1.3): a food and تازه, or تازه as the predicate ("میوه‌ها تازه
      // بود"); not fresh is a complaint. "تازه" alone is "new, just" (above).
      ...Object.fromEntries(['نان', 'نون', 'میوه', 'میوه‌ها', 'میوه‌های', 'سبزی', 'سبزیجات', 'گوشت', 'مرغ', 'ماهی', 'قهوه', 'شیر', 'کیک', 'سالاد', 'غذا', 'غذای', 'مواد']
        .map((food) => [`${food} تازه`, 1.3])),
      ...Object.fromEntries(['بود', 'بودند', 'است', 'هست', 'بودن'].map((copula) => [`تازه ${copula}`, 1.3])),
      'تازه نبود': -1.5, 'تازه نیست': -1.5, 'تازه نبودند': -1.5, 'تازه نیستند': -1.5,
    },
  },
  ar: {
    negators: 'لا لم لن ليس ليست لست لسنا ما غير بدون مش مو ولا',
    intensifiers: 'جداً جدا جدًا كثيراً كثيرا للغاية تماماً حقاً فعلاً بشدة أكثر',
    diminishers: 'قليلاً قليلا نوعاً',
    contrast: 'لكن ولكن بس',
    negationBefore: 3,
    negationAfter: 0,
    english: 'all',
    lexicon: {
      رائع: 3, رائعة: 3, رائعاً: 3, ممتاز: 3.2, ممتازة: 3.2, ممتازاً: 3.2, مذهلة: 3.2, جميل: 2.6, جميلة: 2.6, لذيذ: 2.8,
      أفضل: 3, الأفضل: 3, شكراً: 2, شكرا: 2, سعيد: 2.8, راضٍ: 2.4, راض: 2.4, لطفاء: 2.2, فرحت: 2.8, متعة: 2.6, أحببته: 3,
      أعجبني: 2.6, أعجبتني: 2.6, فخور: 2.6, محترماً: 2, أنصح: 2, سيئ: -2.5, سيئة: -2.5, سيئاً: -2.5, أسوأ: -3.4, كارثة: -3.2,
      مخجل: -2.8, خيبة: -2.6, احتيال: -3.2, مكسورة: -2, متسخة: -2.2, متسخ: -2.2, بطيء: -1.5, مملاً: -2, ممل: -2, غاضب: -2.6,
      المحزن: -2.2, وقحاً: -2.6, غالي: -1.2, رديئة: -3, فظيعة: -3, أكره: -3.2, تأخير: -1.8, مزعجة: -1.8, عار: -3, تعطل: -2,
      مربك: -1.5, للأسف: -1.8, ضعيف: -2, جيد: 2, جيدة: 2, جيداً: 2, حلو: 2.2, زفت: -2.8,
    },
    // Today, the order, quality, the update, support, cost, installation, "exceeded" (فاقت توقعاتي);
    // a brand's announcements: "launched" (+0.8), a discount or cut (−0.8, −1.6: "cut prices" is no complaint).
    // "باسم" (in the name of: "باسم الشركة"; the name Basim) is the package's "smiling" (+1.6).
    neutralStems: 'اليوم الطلب الجودة جودة التحديث تحديث الدعم تكلفة التثبيت فاقت أطلقت تخفيض تخفيضات باسم',
    phrases: { 'لا فائدة منه': -2.4, 'لن أعود': -2.4, 'خيبة أمل': -2.8 },
  },
  // Tamil negates after the verb, often inside it: -வில்லை (did not), -மாட்டேன் (will not), -ாதீர்கள் (do not!).
  ta: {
    negators: 'இல்லை இல்ல அல்ல இல்லாமல் இல்லாத வேண்டாம் மாட்டேன் மாட்டோம் மாட்டார்கள்',
    intensifiers: 'மிகவும் ரொம்ப மிக நிறைய சூப்பர் அதிக',
    diminishers: 'கொஞ்சம் சற்று',
    contrast: 'ஆனால் ஆனா',
    negationBefore: 1,
    negationAfter: 2,
    negatorFollowsWord: true,
    // Spoken "இருக்கு இல்ல?" (it is, isn't it?); written "இல்லை?" stays a negation, and "இல்லையா?"
    // is no negator at all.
    questionTags: 'இல்ல',
    english: 'all',
    // இல்லை joined to a word is written with the vowel sign (மோசமில்லை, not bad; நல்லதில்லை, not
    // good), after a vowel with a glide (நல்லாயில்லை); spoken இல்ல likewise (மோசமில்ல).
    negativeSuffixes: ['வில்லை', 'இல்லை', 'யில்லை', 'ில்லை', 'யில்ல', 'ில்ல', 'மாட்டேன்', 'ாதீர்கள்', 'ாதே'],
    suffixElisions: ['\u0BCD', '\u0BC1'], // the virama, the vowel sign u
    lexicon: {
      அருமை: 3, அருமையான: 3, அருமையாக: 3, அற்புதம்: 3.2, அற்புதமான: 3.2, அற்புதமாக: 3.2, சிறந்த: 3, சிறப்பு: 2.8, நன்றி: 2,
      நன்றாக: 2, நல்ல: 2, நல்லது: 2, நல்லவர்: 2, சுவையாக: 2.8, மகிழ்ச்சி: 2.8, மகிழ்ச்சியாக: 2.8, சந்தோஷம்: 2.8, அழகு: 2.6,
      அழகான: 2.6, பிடித்தது: 2.4, பிடிக்கும்: 2.4, திருப்தி: 2.4, பெருமை: 2.4, பரிந்துரைக்கிறேன்: 2.2, அன்பாக: 2.2, சூப்பர்: 2.6,
      மோசம்: -2.8, மோசமான: -2.8, மோசமாக: -2.8, ஏமாற்றம்: -2.6, மோசடி: -3.2, அழுக்கு: -2.2, அழுக்காக: -2.2, மெதுவாக: -1.5,
      போர்: -1.5, கோபமாக: -2.4, வருத்தம்: -2.2, வருத்தமாக: -2.2, முரட்டுத்தனமாக: -2.6, முரட்டுத்தனம்: -2.6, அவமானம்: -2.8,
      வெட்கக்கேடு: -2.8, தாமதம்: -1.8, குழப்பமாக: -1.5, பழுதாகிவிட்டது: -2.4, உடைந்து: -2, சத்தம்: -1,
      // "does not last/stand" (a battery): the bare ending finds no stem to negate.
      நிற்கவில்லை: -1.8, நிற்காது: -1.8, கவர்ந்தது: 1.8,
      // "Tasty, delicious". The package's "சுவைப்பவர்" (taster) is a −5 insult translated word
      // for word; sharing the stem சுவை, it made every unlisted form of "tasty" negative.
      சுவையானது: 2.8, சுவையான: 2.8, சுவைப்பவர்: 0,
      // "All right", mild like Hindi ठीक: listed so that சரியில்லை (not right) is a complaint.
      சரி: 1,
      // On hold ("ஹோல்டுல இருக்கேன்"); a price rise.
      ஹோல்டுல: -1.5, ஹோல்டில்: -1.5, விலையேற்றம்: -1.8,
    },
    standalone: 'சூப்பர்',
    // Stem guesses on everyday words: "உள்ளது" (is) from "உள்ளன" +1.6, "அவர்கள்" (they), "வாங்க"
    // (buy) from "வாங்குகிறவன்" −1.6, "இனிமேல்" (from now on) and "இன்னும்" (still) from "இனிப்பான"/"இன்பம்",
    // every form of "செய்" (do) from "செய்தபின்" +2.4; money, new, again, shop, parcel, to see, went.
    neutralStems:
      'உள்ளது உள்ளன அவர்கள் வாங்க வாங்கினேன் இனிமேல் இன்னும் செய்ய பணம் பணத்தை புதிய மீண்டும் கடை கடையில் பார்சல் பார்க்க சென்றேன் தெரியுமா எதிர்பார்ப்பை அடைந்தேன் '
      // "head, chief" (+1.6: "the chief executive resigned"), "like, as" (a −1.6 stem guess that
      // turned "முன்ன மாதிரி இல்லை", not as before, into praise), and "raise" (+1.6 from உயர்ந்த, high).
      + 'தலைமை மாதிரி உயர்த்த உயர்த்தி உயர்த்தியது உயர்த்துகிறது உயர்த்தும் '
      // A discount (−0.8) and a share (+0.8), a sale's and a company's news.
      + 'தள்ளுபடி பங்கு',
    phrases: {
      'பணத்திற்கு மதிப்பு': 2.4, 'எந்த பயனும் இல்லை': -2.4,
      // "Doesn't work" and "didn't answer" lost their sign with the stem guess on செய் (do).
      'வேலை செய்யவில்லை': -2, 'வேலை செய்யல': -2, 'வேலை செய்வதில்லை': -2, 'பதில் சொல்லவில்லை': -1.8, 'பதில் இல்லை': -1.5,
      'வாங்க மாட்டேன்': -2.4, 'வாங்க மாட்டோம்': -2.4,
      'விலை அதிகம்': -1.8, 'விலை ரொம்ப அதிகம்': -2.2, 'விலை மிகவும் அதிகம்': -2.2, 'விலை மிக அதிகம்': -2.2,
    },
  },
  // Gujarati negates after the predicate like Hindi ("સારું નથી", "ગમ્યું નહીં", "બરાબર નહોતું") or
  // just before the verb ("ન ગમ્યું", "મને નથી ગમતું"). There is no package lexicon: these entries
  // and VOCABULARY.gu are the whole lexicon, and an entry in the neuter -ું also stands for its
  // other genders and numbers (gujaratiForms: સારું → સારો, સારી, સારા, સારાં).
  gu: {
    // "ના" is not listed: written apart it is mostly the genitive ("એપ ના ફીચર્સ"), after a verb an
    // emphatic or tag particle ("મજા આવી ના!", "સારું છે ના?"); the tag "ને?" is no negator either.
    negators: 'નથી નહીં નહિ નહી ન નહોતું નહોતો નહોતી નહોતા નહોતાં નહતું નહતી વગર વિના',
    intensifiers: 'ખૂબ બહુ એકદમ સાવ અતિ અત્યંત ઘણું ઘણો ઘણી ઘણા બિલકુલ જરાય સૌથી વધુ વધારે એટલું એટલો એટલી એટલા આટલું આટલો આટલી આટલા કેટલું કેટલો કેટલી કેટલા',
    diminishers: 'થોડું થોડો થોડી થોડા જરા જરાક સહેજ',
    contrast: 'પરંતુ છતાં છતાંય',
    // "પણ" is "but" after a comma or at the start ("સારું હતું, પણ સેવા ખરાબ") and "also/even"
    // inside a clause ("ગુણવત્તા પણ સારી", "અડધો દિવસ પણ નથી ચાલતી"), where it must neither
    // reweigh the clauses nor stop a negator ("સારું પણ નથી", not even good).
    clauseContrast: 'પણ',
    negationBefore: 2,
    negationAfter: 3,
    negatorFollowsWord: true,
    english: 'all',
    lexicon: {
      શ્રેષ્ઠ: 3.2, ઉત્તમ: 3.2, અદ્ભુત: 3.2, અદભુત: 3.2, લાજવાબ: 3.2, શાનદાર: 3, જબરદસ્ત: 3, કમાલ: 3, કમાલનું: 3, સરસ: 2.6,
      સારું: 2, મસ્ત: 2.6, મજા: 2.4, મજાનું: 2.4, મજેદાર: 2.4, આભાર: 2, આભારી: 2.2, ધન્યવાદ: 2, ખુશ: 2.8, ખુશી: 2.8, આનંદ: 2.6,
      સ્વાદિષ્ટ: 2.8, સંતુષ્ટ: 2.4, સંતોષ: 2.2, સંતોષકારક: 2.2, નમ્ર: 2, પ્રભાવિત: 2, ગમ્યું: 2.2, ગમે: 2.2, ગમતું: 2.2, ગમશે: 2.2,
      પસંદ: 2.2, ભલામણ: 1.8, ઝડપી: 1.5, સમયસર: 1.5, સરળ: 1.5, વ્યાજબી: 1.5, સસ્તું: 1,
      // Mild, like Hindi ठीक: listed so that "બરાબર નહોતું" (was not right) is a complaint.
      બરાબર: 1, ઠીક: 1,
      // "Works": an app or battery that runs is a small plus, one that does not a complaint
      // ("ચાલતી જ નથી"). Not "ચાલી", which is also "went on" ("ચાલી રહ્યું છે").
      ચાલે: 0.8, ચાલતું: 0.8, ચાલ્યો: 0.8, ચાલ્યા: 0.8,
      ખરાબ: -2.5, ભયંકર: -3.2, ભયાનક: -3, બેકાર: -2.6, નકામું: -2.6, બકવાસ: -3, વાહિયાત: -3, નિરાશ: -2.6, નિરાશા: -2.6,
      નિરાશાજનક: -2.6, ફરિયાદ: -1.5, તકલીફ: -1.5, સમસ્યા: -1.5, મુશ્કેલી: -1.5, મોંઘું: -1.2, ધીમું: -1.5, મોડું: -1.5, વિલંબ: -1.8,
      ગંદું: -2.2, ગંદકી: -2.2, તૂટેલું: -2, તૂટ્યું: -2, બગડ્યું: -2.2, બગડેલું: -2.2, ઉદ્ધત: -2.6, તોછડું: -2.6, શરમજનક: -3,
      શરમ: -2.4, છેતરપિંડી: -3.2, દગો: -3.2, દુઃખ: -2.2, દુખ: -2.2, અફસોસ: -2, રદ: -1.2, અઘરું: -1.2, મુશ્કેલ: -1.2, ભૂલ: -1.5,
      ખોટું: -1.5, અટકી: -1.5, લૂંટ: -2.8, ઘોંઘાટ: -1, પ્રોબ્લેમ: -1.5, ફાસ્ટ: 1.5, સ્લો: -1.5,
    },
    phrases: {
      'પૈસા વસૂલ': 2.6, 'ફરી આવીશું': 2, 'ફરી આવીશ': 2, 'ફરી મંગાવીશ': 2, 'ફરી ક્યારેય નહીં': -2.4,
      // Lukewarm verdicts, like English "nothing special".
      'કંઈ ખાસ નથી': -1.5, 'કંઈ ખાસ નહીં': -1.5, 'ખાસ નથી': -1.2,
      // Advice not to buy or waste money holds its own negator ("don't waste" in English).
      'ખરીદશો નહીં': -2.4, 'ખરીદતા નહીં': -2.4, 'બગાડશો નહીં': -2.4,
      'કામનું નથી': -2.2, 'કામની નથી': -2.2, 'કામનો નથી': -2.2,
      'કામ નથી કરતું': -2, 'કામ નથી કરતી': -2, 'કામ નથી કરતો': -2, 'કામ કરતું નથી': -2, 'કામ કરતી નથી': -2,
      // A price complaint; બહુ and વધારે are intensifiers, so neither says "too much" alone.
      'કિંમત બહુ વધારે': -2, 'કિંમત વધારે': -1.8, 'ભાવ બહુ વધારે': -2, 'ભાવ વધારે': -1.8,
    },
  },
};
