import { describe, expect, it } from 'vitest';
import { detectLanguage, MIN_CONFIDENCE } from '../../src/domain/language/language.detect.js';

const EXAMPLES: Record<string, string[]> = {
  en: ['Thanks for the quick reply, the issue is fixed now', 'Why is the app so slow today?'],
  cs: ['Děkuji za rychlou odpověď, už to funguje', 'Proč je ta aplikace dneska tak pomalá?'],
  es: ['Gracias por la respuesta rápida, ya funciona', '¿Por qué la aplicación va tan lenta hoy?'],
  pt: ['Obrigado pela resposta rápida, já está funcionando', 'Por que o aplicativo está tão lento hoje?'],
  de: ['Danke für die schnelle Antwort, jetzt funktioniert es', 'Warum ist die App heute so langsam?'],
  fr: ["Merci pour la réponse rapide, ça marche maintenant", "Pourquoi l'appli est si lente aujourd'hui ?"],
  hi: ['जल्दी जवाब देने के लिए धन्यवाद, अब यह काम कर रहा है', 'आज ऐप इतना धीमा क्यों है?'],
  ne: ['छिटो जवाफ दिनुभएकोमा धन्यवाद, अहिले काम गर्दैछ', 'आज एप किन यति ढिलो छ?'],
  gu: ['ઝડપી જવાબ માટે આભાર, હવે તે કામ કરે છે', 'આજે એપ આટલી ધીમી કેમ છે?'],
  ta: ['விரைவான பதிலுக்கு நன்றி, இப்போது வேலை செய்கிறது', 'இன்று ஆப் ஏன் இவ்வளவு மெதுவாக உள்ளது?'],
  fa: ['ممنون از پاسخ سریع، الان کار می‌کند', 'چرا برنامه امروز این‌قدر کند است؟'],
  ar: ['شكراً على الرد السريع، الآن يعمل', 'لماذا التطبيق بطيء جداً اليوم؟'],
};

describe('detectLanguage', () => {
  for (const [lang, texts] of Object.entries(EXAMPLES)) {
    for (const text of texts) {
      it(`names ${lang} for "${text}"`, () => {
        const result = detectLanguage(text);
        expect(result.lang).toBe(lang);
        expect(result.confidence).toBeGreaterThanOrEqual(MIN_CONFIDENCE);
        expect(result.confidence).toBeLessThanOrEqual(1);
      });
    }
  }

  it('tells Persian from Arabic by the letters only Persian has (پ چ ژ گ ی ک)', () => {
    expect(detectLanguage('گوشی چطوره؟ پیشنهاد میکنی؟').lang).toBe('fa');
    expect(detectLanguage('كيف حالك؟ هل تنصحني بالهاتف؟').lang).toBe('ar');
  });

  it('tells Nepali from Hindi by function words and attached endings', () => {
    expect(detectLanguage('मेरो फोन राम्रो छ').lang).toBe('ne');
    expect(detectLanguage('मेरा फ़ोन अच्छा है').lang).toBe('hi');
  });

  it('reads a word it lists for one language as that language, whatever its spelling looks like elsewhere', () => {
    // "love" is an English marker; its "ov" (a Czech spelling) used to count for Czech too.
    expect(detectLanguage('I love masala chai').lang).toBe('en');
    expect(detectLanguage('I love chai').lang).toBe('en');
  });

  it('takes "ch" before a vowel (chai, chat, check) as no sign of Czech, and keeps it before a consonant or at the end', () => {
    expect(detectLanguage('I love Chaiwala Express masala chai').lang).toBe('en');
    expect(detectLanguage('Chci to vrátit, nefunguje').lang).toBe('cs');
    expect(detectLanguage('Bylo to ve všech obchodech').lang).toBe('cs');
  });

  it('names Spanish and Portuguese for a short verdict on each brand, by their everyday adjectives', () => {
    // "es" is Spanish, German and French alike: with no other marker the post was no language, and
    // unscored. "excelente" is Spanish and Portuguese; bueno/malo and bom/ruim are one language's.
    expect(detectLanguage('Acme vs Globex: Acme es excelente, Globex es horrible').lang).toBe('es');
    expect(detectLanguage('Acme es malo, Globex es bueno').lang).toBe('es');
    expect(detectLanguage('Acme é ruim, Globex é ótimo').lang).toBe('pt');
  });

  it('ignores links and handles when weighing the evidence', () => {
    expect(detectLanguage('@acme_support https://example.com/track/123 mein Paket ist immer noch nicht da').lang).toBe('de');
  });

  for (const text of ['', 'ok', 'lol', 'asdf qwer zxcv', 'kkkkkkk', '😂😂😂', '12345 678', 'https://example.com/x @someone', 'Привет, как дела?']) {
    it(`says nothing for "${text}" (gibberish, too short, or not a language it knows)`, () => {
      expect(detectLanguage(text).lang).toBeNull();
    });
  }
});
