/**
 * Everyday sentiment vocabulary per language, in four strengths, written by hand from general
 * knowledge of each language (not from any evaluation set) to fill the gaps of the
 * machine-translated package lexicons: common adjectives in their usual inflected forms, verbs
 * of liking and complaining, and social-media words, among them English loanwords written in the
 * language's script as posts use them (परफेक्ट, ஸ்மூத், ક્રેશ: Gujarati since 1.3.0, hi, ne and ta since
 * 1.6.3). Entries in profile.rules.ts win over these.
 */
export interface Vocabulary { great: string; good: string; bad: string; awful: string }

export const TIER_VALENCE = { great: 3, good: 2, bad: -2, awful: -3 } as const;

export const VOCABULARY: Record<string, Vocabulary> = {
  cs: {
    great: 'skvělé skvělou skvělí úžasné úžasnou úžasní perfektně famózní bezvadný bezvadné bezvadně luxusní božský božské špičkový špičková špičkové nádherná nádhernou miluju miluji zbožňuju',
    good: 'dobrou dobří fajn pěkný pěkná pěkné pěkně příjemný příjemná příjemné rychlý rychlá rychle spolehlivý spolehlivá ochotný ochotní milá milé chutné chutný chutnalo spokojení spokojeni pomohl pomohli pomohla líbilo líbil líbila oceňuji děkujeme povedený povedené povedlo',
    bad: 'špatně špatnou horší pomalé pomalá drahý drahá předražené předražený rozbité rozbitá vadný vadné vadná nefunkční chyba chyby problém problémy potíže zklamala zklamalo nespolehlivý nudné nudná naštvaná otrávený smůla bohužel nepoužitelné nepoužitelný zrušili zrušená zpožděný',
    awful: 'hrozné hroznou strašné strašná strašnou příšerný příšerné příšerná otřesné otřesná katastrofální tragédie tragický tragické šílený nechutné nechutný hnus odporný odporné nejhorší podvodníci zloději ostuda hanba',
  },
  es: {
    great: 'genial geniales excelentes increíbles maravillosa maravillosos fantástica fantásticos perfecta perfectos brutal espectacular espectaculares encantada encantan adoro buenísima buenísimos estupendo estupenda',
    good: 'buenos buenas bonita bonitos rápido rápida rápidos amables agradable agradables útil cómodo cómoda fácil recomendado recomiendo gracias agradecido agradecida satisfecho satisfecha contentos funciona gustó gusta gustan mola',
    bad: 'malos malas lento lenta lentos caros cara problema problemas fallo fallos error errores roto rota rotos decepcionado decepcionada decepcionante aburrido incómodo difícil quejas molesto molesta enfadado enfadada retraso retrasos cancelaron cancelado',
    awful: 'pésimos pésimas horribles terribles fatal asqueroso asquerosa vergonzoso vergonzosa lamentable lamentables desastroso ridículo ridícula estafadores timo basura odio asco',
  },
  pt: {
    great: 'ótimos ótimas excelentes incríveis maravilhosa maravilhosos fantásticos perfeita perfeitos sensacional espetacular amo adoro adorei maravilha top',
    good: 'bons boas bonita bonitos rápido rápida rápidos simpática educada agradável agradáveis útil confortável fácil recomendo obrigado obrigada grato grata satisfeitos contente funciona gostei gosto legal bacana',
    bad: 'ruins lento lenta lentos caro cara caros problema problemas defeito erro erros quebrada quebrados decepcionado decepcionada decepcionante chata chatos difícil reclamação irritado irritada atraso atrasado cancelaram cancelado fraco fraca',
    awful: 'péssimos péssimas horríveis terrível terríveis nojento nojenta vergonhoso vergonhosa lamentável ridículo ridícula absurdo golpistas lixo odeio porcaria',
  },
  de: {
    great: 'großartig großartige hervorragende ausgezeichneter wunderbare fantastische perfekte genialer klasse spitze traumhaft begeistert liebe lieben',
    good: 'guter gutes schöne schöner schönes nett nette freundliche freundlicher schnell schnelle schneller zuverlässig zuverlässige hilfreich praktisch bequem danke dankbar zufriedene empfehlenswert funktioniert gefällt gefallen lecker',
    bad: 'schlechter schlechtes langsam langsame teuer teure überteuert problem probleme fehler defekt defekte kaputte enttäuscht enttäuschend langweilige umständlich ärgerlich genervt verspätet verspätung storniert mangelhaft',
    awful: 'furchtbar furchtbare schrecklich schreckliche katastrophal miserabel mies ekelhaft widerlich peinlich lächerlich unverschämt unverschämtheit abzocke betrüger müll hasse',
  },
  fr: {
    great: 'géniaux excellents excellentes incroyables magnifiques fantastiques parfaite parfaits sublime génialissime adorable adorables adoré adorée top',
    good: 'bien bonne bons bonnes belle beau beaux jolie rapide rapides sympathique agréable agréables utile pratique facile fiable merci reconnaissant satisfaits contents fonctionne aimé aime',
    bad: 'mauvais mauvaise mauvaises lente lents cher chère chers problème problèmes erreur erreurs bug bugs cassée déçu déçue décevant ennuyeuse compliqué énervé énervée retard retards annulé annulée nul nulle',
    awful: 'horribles affreux catastrophique lamentable minable honteuse dégoûtant dégueulasse ridicule ridicules scandaleux arnaqueurs pourri pourrie inadmissible inacceptable déteste',
  },
  hi: {
    great: 'शानदार ज़बरदस्त जबरदस्त बेहतरीन लाजवाब कमाल उम्दा शाबाश प्यार परफेक्ट बेस्ट',
    good: 'अच्छा अच्छी अच्छे बढ़िया सुंदर सही तेज़ आसान मददगार आरामदायक धन्यवाद शुक्रिया खुश संतुष्ट पसंद बधाई शुभकामनाएं मस्त स्मूद स्मूथ फास्ट नाइस',
    bad: 'खराब ख़राब बुरा बुरी बुरे धीमा धीमी महंगा महँगा महंगी दिक्कत समस्या परेशानी गलती ग़लती टूटा टूटी निराश नाराज़ नाराज गुस्सा उबाऊ देरी रद्द कमज़ोर कमजोर बासी स्लो क्रैश क्रेश एरर हैंग बग',
    awful: 'बेकार घटिया बकवास बेहूदा शर्मनाक भयानक धोखा धोखेबाज़ फ्रॉड लूट नफ़रत नफरत घिनौना वाहियात वर्स्ट',
  },
  ne: {
    great: 'उत्कृष्ट अद्भुत लाजवाफ गजब गजबको कमाल शानदार माया परफेक्ट बेस्ट',
    good: 'राम्रो राम्रा राम्री सुन्दर मिठो छिटो सजिलो सहयोगी धन्यवाद खुसी सन्तुष्ट बधाई शुभकामना रमाइलो स्मुथ स्मूथ फास्ट नाइस',
    bad: 'नराम्रो खराब ढिलो महँगो समस्या गल्ती बिग्रिएको बिग्रियो निराश रिस दिक्क बोरिङ ढिलाइ रद्द कमजोर झन्झट बासी स्लो क्र्यास क्र्याश एरर ह्याङ बग',
    awful: 'बेकार घटिया लाजमर्दो डरलाग्दो ठगी ठग फटाहा घृणा बकवास वर्स्ट',
  },
  fa: {
    great: 'عالی فوق‌العاده محشر بی‌نظیر معرکه حرف‌نداره عاشقشم عاشقتم',
    good: 'خوب خوبه قشنگ زیبا سریع راحت مفید مهربان ممنون ممنونم مرسی متشکرم سپاس راضی خوشحال دوست‌داشتنی',
    bad: 'بد بده گران گرون مشکل مشکلات ایراد خراب ناراضی ناامید عصبانی کسل‌کننده تأخیر لغو ضعیف اذیت کرش ارور',
    awful: 'افتضاح افتضاحه مزخرف وحشتناک کلاهبردار کلاهبرداری آشغال شرم‌آور مسخره نفرت',
  },
  ar: {
    great: 'رائع رائعة ممتاز ممتازة مذهل مذهلة خرافي رهيب روعة أحب أحببت',
    good: 'جيد جيدة جميل جميلة حلو حلوة سريع سريعة سهل مفيد مريح شكرا شكراً مشكور سعيد سعيدة راض مبسوط أنصح يعطيكم',
    bad: 'سيء سيئة بطيء بطيئة غالي غالية مشكلة مشاكل خطأ عطل معطل سيئ خربان زعلان غاضب ممل مملة تأخير إلغاء ضعيف ضعيفة للأسف',
    awful: 'فظيع فظيعة كارثة كارثي مقرف مقرفة زفت نصب نصابين احتيال حرامية أسوأ عار أكره قذر',
  },
  ta: {
    great: 'அருமை அருமையான அற்புதம் அற்புதமான சூப்பர் பிரமாதம் அசத்தல் சிறந்த மாஸ் காதல் பெர்ஃபெக்ட் பர்ஃபெக்ட் பெஸ்ட்',
    good: 'நல்ல நல்லது நன்றாக அழகான அழகு வேகமாக எளிதாக உதவியாக நன்றி மகிழ்ச்சி சந்தோஷம் திருப்தி பிடிக்கும் பிடித்தது வாழ்த்துக்கள் ஸ்மூத் ஃபாஸ்ட் நைஸ்',
    bad: 'மோசம் மோசமான மெதுவாக பிரச்சனை பிரச்சினை தவறு பழுது ஏமாற்றம் கோபம் எரிச்சல் சலிப்பு தாமதம் ரத்து பலவீனம் கஷ்டம் ஸ்லோ கிராஷ் க்ராஷ் எரர் ஹேங் வேஸ்ட்',
    awful: 'கேவலம் கேவலமான மட்டமான மோசடி ஏமாற்று குப்பை அவமானம் வெட்கக்கேடு வெறுப்பு கொடுமை வொர்ஸ்ட்',
  },
  // Adjectives and participles are listed in the neuter -ું; their other forms come from gujaratiForms.
  gu: {
    great: 'ઉત્તમ શ્રેષ્ઠ ઉત્કૃષ્ટ શાનદાર અદ્ભુત અદભૂત અદ્ભૂત લાજવાબ જબરદસ્ત જોરદાર કમાલ બેમિસાલ અફલાતૂન ઝક્કાસ બેસ્ટ ઓસમ પરફેક્ટ વાહ',
    good: 'સારું સરસ સુંદર મસ્ત સુપર નાઇસ ગજબ મજા મજેદાર ખુશ ખુશી આનંદ આભાર ધન્યવાદ અભિનંદન શુભેચ્છા સ્વાદિષ્ટ ટેસ્ટી સંતુષ્ટ નમ્ર વિનમ્ર મદદરૂપ મળતાવડું પ્રેમાળ માયાળુ આરામદાયક ચોખ્ખું સ્વચ્છ ઉપયોગી વિશ્વસનીય ભરોસાપાત્ર પ્રમાણિક સુવિધાજનક ગમ્યું ગમતું પસંદ વખાણ ઝડપી ફટાફટ ફાસ્ટ જીત જીત્યું થેન્ક્સ થેંક્સ થેંક્યુ ગુડ લવ',
    bad: 'ખરાબ ધીમું મોંઘું મોડું વિલંબ ગંદું ગંદકી ફરિયાદ તકલીફ સમસ્યા મુશ્કેલી પ્રોબ્લેમ ભૂલ ખામી ખામીયુક્ત તૂટેલું તૂટ્યું બગડ્યું બગડેલું નબળું નિરાશ નારાજ ગુસ્સો ગુસ્સે પરેશાન પરેશાની હેરાન કંટાળો કંટાળી કંટાળ્યો કંટાળાજનક બોરિંગ દુઃખી અસંતુષ્ટ નાખુશ નાપસંદ ગૂંચવણભર્યું ચીડ દુઃખદ હેંગ ક્રેશ એરર સ્લો નુકસાન હાર્યું ખોવાઈ ડુપ્લિકેટ નકલી સડેલું વાસી કચરો વેસ્ટ',
    awful: 'ભયંકર ભયાનક બેકાર નકામું બકવાસ વાહિયાત ઘટિયા ફાલતુ શરમજનક છેતરપિંડી છેતરામણી છેતર્યા દગો ફ્રોડ સ્કેમ ઠગ ઠગાઈ લૂંટ ધિક્કાર નફરત ત્રાસ ત્રાસદાયક બરબાદ બરબાદી ભંગાર વર્સ્ટ બદતમીઝ અસભ્ય',
  },
};
