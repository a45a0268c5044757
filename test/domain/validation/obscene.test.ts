import { containsObsceneLanguage, findObsceneWords } from '../../../domain/validation';

describe('obscene-language detector (seed 000 п. 3.5: «ненормативная лексика» flags, never rejects)', () => {
  it.each([
    ['ну бля, опять не работает', ['бля']],
    ['какого хуя не списываются баллы', ['хуя']],
    ['заебали уже с этой картой', ['заебали']],
    ['полный пиздец с выгрузкой', ['пиздец']],
    ['ёбаный терминал', ['ёбаный']],
    ['блядь, где деньги', ['блядь']],
    ['мудак из поддержки', ['мудак']],
  ])('flags «%s»', (text, words) => {
    expect(findObsceneWords(text)).toEqual(words);
  });

  it('sees through disguises: Latin look-alikes, dots and spaces between letters, stretched letters', () => {
    expect(containsObsceneLanguage('xyй')).toBe(true);
    expect(containsObsceneLanguage('х.у.й')).toBe(true);
    expect(containsObsceneLanguage('это п и з д е ц')).toBe(true);
    expect(containsObsceneLanguage('бляяяя')).toBe(true);
  });

  it('does not flag ordinary words that contain the same letters', () => {
    const ordinary =
      'Прошу не оскорблять сотрудников. Употреблять, истреблять, застрахуйте, страхуй, бляха, сабля, рубля, мандарин, ' +
      'мандат, команда, хлеб, небо, себе, требую, учебный, победа, мудрый, вебинар, вебинары, веб-сайт, похудеть, ' +
      'хуже, художник, выхухоль, Хуанхэ, проблема, употребляю, оскорбление, ебонит, глубокий.';
    expect(findObsceneWords(ordinary)).toEqual([]);
  });

  it('the regulation’s example requests are clean', () => {
    expect(
      containsObsceneLanguage(
        'Прошу уточнить, почему не удаётся оплатить покупку по сертификату с помощью телефона? При прикладывании телефона к терминалу ДС не списываются.',
      ),
    ).toBe(false);
  });
});
