/**
 * @module features/lexicons
 * Data only: word lists the featurizer looks words up in. Cue words are the words a label's blocks
 * tend to carry in every language the corpus covers, so a page in a barely-trained language still
 * gives the model something to go on. Lists are lower case, matched against whole word tokens.
 */

function wordSet(...groups: readonly string[][]): ReadonlySet<string> {
  const words = groups.flat();
  // An empty group would silently match nothing and hide a typo in the table below.
  if (groups.some((g) => g.length === 0)) throw new Error('lexicons: empty word group');
  return new Set(words);
}

/** Function words of en, de, fr, es, it, nl, pt: prose has many, chrome has few. */
export const STOPWORDS = wordSet(
  ['the', 'a', 'an', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'with', 'at', 'by', 'from', 'is', 'are', 'was',
    'were', 'be', 'been', 'has', 'have', 'had', 'it', 'its', 'that', 'this', 'which', 'who', 'as', 'but', 'not',
    'they', 'he', 'she', 'we', 'his', 'her', 'their', 'will', 'would', 'said', 'than', 'after', 'into', 'about'],
  ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'eine', 'mit', 'von', 'dem', 'den', 'des', 'sich', 'auf',
    'für', 'auch', 'es', 'im', 'wie', 'bei', 'aus', 'nach', 'noch', 'hat', 'wird', 'wurde', 'sind', 'aber', 'dass'],
  ['le', 'la', 'les', 'et', 'est', 'un', 'une', 'des', 'du', 'dans', 'pour', 'que', 'qui', 'sur', 'pas', 'au',
    'avec', 'il', 'elle', 'ont', 'sont', 'mais', 'ce', 'cette', 'aux', 'par', 'été', 'a', 'se', 'leur'],
  ['el', 'los', 'las', 'y', 'en', 'del', 'que', 'por', 'con', 'para', 'una', 'es', 'lo', 'se', 'su', 'sus', 'al',
    'como', 'más', 'pero', 'ha', 'han', 'fue', 'este', 'esta', 'también', 'sobre', 'entre'],
  ['il', 'di', 'che', 'è', 'per', 'una', 'sono', 'della', 'nel', 'alla', 'dei', 'delle', 'gli', 'con', 'non',
    'anche', 'come', 'ma', 'più', 'dal', 'nella', 'ha', 'hanno', 'stato', 'questo', 'tra'],
  ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'op', 'te', 'zijn', 'niet', 'met', 'voor', 'ook', 'aan', 'er',
    'maar', 'om', 'bij', 'nog', 'naar', 'wordt', 'werd', 'hij', 'zij', 'dan', 'heeft', 'die', 'deze'],
  ['o', 'os', 'as', 'e', 'do', 'da', 'dos', 'das', 'em', 'no', 'na', 'um', 'uma', 'para', 'com', 'não', 'mais',
    'foi', 'são', 'pelo', 'pela', 'mas', 'ao', 'também', 'seu', 'sua', 'ele', 'ela', 'entre'],
);

/** Cue words per label, in the seven languages of the corpus. Keys become feature names. */
export const CUES: Readonly<Record<string, ReadonlySet<string>>> = {
  paywall: wordSet(
    ['subscribe', 'subscription', 'subscriber', 'subscribers', 'subscribed', 'unlimited', 'trial', 'paywall',
      'premium', 'membership', 'unlock', 'donate', 'donation', 'register'],
    ['abonnieren', 'abonnement', 'abo', 'abonnent', 'abonnenten', 'testen', 'freischalten'],
    ['abonner', 'abonné', 'abonnés', 'abonnez', 'abonnement', 'réservé', 'illimité', 'essai'],
    ['suscríbete', 'suscripción', 'suscriptor', 'suscriptores', 'suscriptora', 'ilimitado', 'prueba'],
    ['abbonati', 'abbonamento', 'abbonato', 'abbonarti', 'riservato', 'illimitato'],
    ['abonneren', 'abonnee', 'abonnees', 'onbeperkt', 'proef'],
    ['assine', 'assinante', 'assinantes', 'assinatura', 'ilimitado', 'exclusivo'],
  ),
  sponsored: wordSet(
    ['sponsored', 'sponsor', 'advertisement', 'advertising', 'advertiser', 'ad', 'ads', 'promoted', 'partner',
      'paid', 'affiliate', 'commission', 'offer', 'deal', 'deals', 'price', 'buy', 'shop'],
    ['anzeige', 'werbung', 'gesponsert', 'partnerinhalt', 'angebot'],
    ['publicité', 'sponsorisé', 'partenaire', 'partenariat'],
    ['publicidad', 'patrocinado', 'anuncio'],
    ['pubblicità', 'sponsorizzato', 'pubblicitario'],
    ['advertentie', 'gesponsord', 'gesponsorde'],
    ['publicidade', 'patrocinado', 'anúncio', 'oferta'],
  ),
  caption: wordSet(
    ['photo', 'photos', 'photograph', 'image', 'images', 'picture', 'pictured', 'credit', 'courtesy', 'file',
      'getty', 'reuters', 'afp', 'ap', 'epa', 'shutterstock', 'alamy', 'video', 'illustration', 'graphic'],
    ['foto', 'fotos', 'bild', 'bildquelle', 'archivbild'],
    ['photographie', 'légende', 'crédit'],
    ['imagen', 'fotografía', 'archivo'],
    ['immagine', 'fotografia'],
    ['beeld', 'afbeelding'],
    ['imagem', 'fotografia', 'reprodução', 'divulgação'],
  ),
  icon: wordSet(
    ['share', 'facebook', 'twitter', 'linkedin', 'whatsapp', 'pinterest', 'reddit', 'email', 'mail', 'print',
      'icon', 'chevron', 'arrow', 'close', 'play', 'pause', 'mute', 'volume', 'fullscreen', 'sketch', 'svg',
      'like', 'likes', 'copy', 'link', 'expand', 'collapse', 'bookmark', 'save'],
    ['teilen', 'drucken', 'schließen'],
    ['partager', 'imprimer', 'fermer'],
    ['compartir', 'imprimir', 'cerrar'],
    ['condividi', 'stampa', 'chiudi'],
    ['delen', 'sluiten', 'printen'],
    ['compartilhar', 'compartilhe', 'fechar'],
  ),
  navigation: wordSet(
    ['cookie', 'cookies', 'privacy', 'newsletter', 'home', 'menu', 'terms', 'contact', 'rights', 'reserved',
      'copyright', 'sign', 'login', 'log', 'related', 'comments', 'comment', 'reply', 'topics', 'sections',
      'follow', 'careers', 'advertise', 'app', 'download', 'skip', 'next', 'previous', 'more', 'latest', 'read'],
    ['impressum', 'datenschutz', 'anmelden', 'startseite', 'kommentare', 'nutzungsbedingungen'],
    ['accueil', 'confidentialité', 'mentions', 'connexion', 'commentaires', 'newsletters'],
    ['inicio', 'portada', 'privacidad', 'aviso', 'comentarios', 'iniciar'],
    ['privacy', 'commenti', 'accedi', 'contatti'],
    ['privacyverklaring', 'inloggen', 'reacties', 'voorwaarden'],
    ['privacidade', 'entrar', 'comentários', 'termos'],
  ),
};

/**
 * Words of prompts that gate reading (meters, "continue reading", subscribers only, registration),
 * as opposed to asks that do not (donations, newsletters): the page verdict counts paywall blocks
 * that carry one (model/page-verdict.ts).
 */
export const WALL_CUES = wordSet(
  ['continue', 'reading', 'remaining', 'left', 'subscribers', 'register', 'registered', 'unlock', 'free', 'exclusive', 'members', 'access'],
  ['weiterlesen', 'kostenlos', 'kostenlose', 'kostenlosen', 'gratis', 'abonnenten', 'registrieren', 'freischalten', 'exklusiv', 'zugang', 'verbleibend', 'übrig'],
  ['gratuit', 'gratuits', 'gratuite', 'abonnés', 'continuer', 'suite', 'réservé', 'réservée', 'inscrivez', 'accès', 'restant', 'restants'],
  ['gratis', 'gratuito', 'gratuitos', 'suscriptores', 'seguir', 'leyendo', 'exclusivo', 'regístrate', 'acceso', 'quedan', 'restantes'],
  ['gratuiti', 'gratuito', 'abbonati', 'continuare', 'leggere', 'riservato', 'riservata', 'registrati', 'accesso', 'restano', 'rimasti'],
  ['gratis', 'abonnees', 'verder', 'lezen', 'registreer', 'toegang', 'resterend', 'resterende'],
  ['gratuitos', 'gratuito', 'gratuitas', 'assinantes', 'continuar', 'ler', 'exclusivo', 'registe', 'cadastre', 'acesso', 'restam', 'restantes'],
);

/** Words that mark an announced reading time ("6 min read", "Lesezeit: 4 Min."), and minute words. */
export const READING_TIME = wordSet(['read', 'reading'], ['lesezeit', 'lesedauer'], ['lecture'], ['lectura'], ['lettura'], ['leestijd'], ['leitura']);
export const MINUTE_WORDS = wordSet(['min', 'mins', 'minute', 'minutes'], ['minuten'], ['minuto', 'minutos'], ['minuti']);
