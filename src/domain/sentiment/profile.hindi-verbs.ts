import { NOT_RECEIVED } from './profile.complaints.js';
import type { NegatedVerbs } from './sentiment.negated-verbs.js';

/*
 * The verbs a Hindi negator stands before that it negates instead of the word before it, in
 * Devanagari and romanised (see NegatedVerbs): "रिफंड नहीं मिला" and "refund nahi mila" (the refund did
 * not come), "इतना घटिया प्रोडक्ट कभी नहीं देखा" and "itna ghatiya product kabhi nahi dekha" (never seen
 * such a bad product). Verbs in the forms that follow a negator (past and habitual, three genders
 * and numbers); things waited for as customers name them, loanwords included.
 */

const set = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/u).filter(Boolean).map((w) => w.normalize('NFC')));

export const HINDI_NEGATED_VERBS: NegatedVerbs = {
  receipt: set(
    'मिला मिली मिले मिलता मिलती मिलते मिलेगा मिलेगी मिल आया आई आए आये आयी आता आती आ हुआ हुई हुए हुये ' +
    'पहुंचा पहुँचा पहुंची पहुँची पहुंचे पहुँचे दिया दी दिए दिये',
  ),
  perception: set('देखा देखी देखे सुना सुनी सुने'),
  expected: set(
    'रिफंड रिफ़ंड पैसा पैसे पैसों डिलीवरी डिलिवरी ऑर्डर आर्डर पार्सल पैकेज प्रोडक्ट सामान जवाब उत्तर रिप्लाई रिस्पॉन्स कॉल मैसेज ' +
    'ओटीपी ईमेल कैशबैक रिप्लेसमेंट टिकट बिल पेमेंट भुगतान रकम राशि कूरियर अपडेट फोन फ़ोन',
  ),
  such: set('इतना इतनी इतने ऐसा ऐसी ऐसे इससे'),
  ever: set('कभी कहीं कहीँ'),
  notReceived: NOT_RECEIVED,
};

export const HINGLISH_NEGATED_VERBS: NegatedVerbs = {
  receipt: set(
    'mila mili mile milta milti milte milega milegi mil aaya aayi aaye aya ayi aye aai aata aati aa hua hui hue huwa huya ' +
    'pahuncha pahunchi pahunche pahucha pahuchi pahuche diya di diye dia',
  ),
  perception: set('dekha dekhi dekhe suna suni sune'),
  expected: set(
    'refund refunds paisa paise paison money delivery order parcel package packet product item saman samaan jawab jawaab ' +
    'reply response call callback message msg sms otp email mail cashback replacement ticket bill invoice payment amount ' +
    'courier shipment update phone',
  ),
  such: set('itna itni itne aisa aisi aise isse'),
  ever: set('kabhi kahin kahi'),
  notReceived: NOT_RECEIVED,
};
