import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, useLanguage } from '../app/i18n';

/** Language names are written in their own language, so they stay recognisable in either UI. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const current = useLanguage();
  return (
    <div className="segmented" role="group" aria-label={t('header.language')} data-testid="language-switch">
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          data-lang={lang}
          className={lang === current ? 'active' : ''}
          aria-pressed={lang === current}
          onClick={() => setLanguage(lang)}
        >
          {t(`languageName.${lang}`)}
        </button>
      ))}
    </div>
  );
}
