"""Name knowledge: titles, honorifics, hypocorisms, words that look like names but are not.

Everything here is a small table or a pure function over strings, so the mention
and cast stages can share one idea of what "Mr. Darcy" or "Sasuke-kun" is made of.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Title -> gender it implies (None: either). Keys are lowercase, without the final dot.
TITLES: dict[str, str | None] = {
    "mr": "M", "mister": "M", "sir": "M", "lord": "M", "master": "M", "monsieur": "M", "m": "M",
    "herr": "M", "signor": "M", "signore": "M", "señor": "M", "senor": "M", "don": "M",
    "father": "M", "uncle": "M", "brother": "M", "king": "M", "prince": "M", "duke": "M",
    "count": "M", "baron": "M", "earl": "M", "marquis": "M", "emperor": "M", "abbé": "M",
    "abbe": "M", "mon": None, "rev": "M", "reverend": "M", "grandpa": "M", "grandfather": "M",
    "mrs": "F", "miss": "F", "ms": "F", "lady": "F", "madame": "F", "mme": "F", "madam": "F",
    "mademoiselle": "F", "mlle": "F", "frau": "F", "fräulein": "F", "signora": "F",
    "signorina": "F", "señora": "F", "senora": "F", "mother": "F", "aunt": "F", "auntie": "F",
    "aunty": "F", "sister": "F", "queen": "F", "princess": "F", "duchess": "F", "countess": "F",
    "baroness": "F", "dame": "F", "empress": "F", "grandma": "F", "grandmother": "F",
    "granny": "F", "nurse": None, "dr": None, "doctor": None, "professor": None, "prof": None,
    "captain": "M", "capt": "M", "colonel": "M", "col": "M", "general": "M", "major": "M",
    "lieutenant": "M", "lt": "M", "sergeant": "M", "sgt": "M", "admiral": "M", "commander": "M",
    "inspector": None, "detective": None, "judge": None, "saint": None,
    "headmaster": "M", "headmistress": "F", "sensei": None, "cousin": None, "old": None, "comrade": None,
    "young": None, "little": None, "big": None,
    "nawab": "M", "rajah": "M", "raja": "M", "maharajah": "M", "begum": "F", "rani": "F", "maharani": "F",
}
# Titles normally followed by a surname (the rest also take first names: Sir William, Lady Catherine).
SURNAME_TITLES = {"mr", "mrs", "ms", "dr", "professor", "prof", "captain", "capt", "colonel", "col",
                  "general", "major", "lieutenant", "lt", "sergeant", "sgt", "admiral", "inspector",
                  "detective", "judge", "monsieur", "m", "herr", "frau", "mme", "madame", "commander",
                  "headmaster", "headmistress", "comrade"}
# Descriptive words that may start a name ("Old Jolyon", "Little John") but are never the name.
SOFT_TITLES = {"old", "young", "little", "big", "mon", "cousin"}
# Ranks: a "General Tilney" is not the "Mr. Tilney" of the same book.
RANKS = {"dr", "doctor", "professor", "prof", "captain", "capt", "colonel", "col", "general", "major",
         "lieutenant", "lt", "sergeant", "sgt", "admiral", "inspector", "detective", "judge", "commander",
         "sir", "lord"}
MARRIED = {"mrs", "mme", "madame", "frau", "signora", "señora", "senora"}
UNMARRIED_F = {"miss", "mademoiselle", "mlle", "signorina", "fräulein"}

HONORIFICS: dict[str, str | None] = {
    "kun": "M", "chan": None, "san": None, "sama": None, "sensei": None, "senpai": None,
    "sempai": None, "dono": None, "hime": "F", "kouhai": None, "kohai": None, "tan": None,
    "nii": "M", "niisan": "M", "nee": "F", "neesan": "F", "chin": None, "pyon": None,
    "ssi": None, "nim": None, "ah": None, "jie": "F", "ge": "M", "gege": "M", "jiejie": "F",
}

# Short forms of given names: hypocorism -> canonical given name.
HYPOCORISMS: dict[str, str] = {}
for _full, _shorts in {
    "Elizabeth": "Lizzy Lizzie Liz Eliza Beth Betsy Betty Bess Bessie Libby Lisa Elsie Lily",
    "Margaret": "Meg Maggie Peggy Marge Margie Madge Greta Daisy", "Katherine": "Kate Kitty Katie Kat Kathy",
    "Catherine": "Kate Kitty Katie Cathy Cat", "William": "Will Willy Bill Billy Liam",
    "Robert": "Rob Bob Bobby Robbie Bert", "Richard": "Rick Dick Richie Rich", "Edward": "Ed Eddie Ned Ted Teddy",
    "Thomas": "Tom Tommy", "James": "Jim Jimmy Jamie Jem", "John": "Jack Johnny", "Henry": "Harry Hal Hank",
    "Charles": "Charlie Charley Charly Chuck Chas", "Frederick": "Fred Freddie Freddy", "Alexander": "Alex Sandy Sasha",
    "Anne": "Annie Nan Nancy", "Ann": "Annie Nan Nancy", "Mary": "Molly Polly Mae", "Sarah": "Sally Sadie",
    "Susan": "Sue Susie Suzy", "Josephine": "Jo Josie", "Theodore": "Theo Ted Teddy", "Ronald": "Ron Ronnie",
    "Jennifer": "Jenny Jen", "Nicholas": "Nick Nicky", "Samuel": "Sam Sammy", "Benjamin": "Ben Benny",
    "Joseph": "Joe Joey", "Michael": "Mike Mikey Mick", "Christopher": "Chris Kit", "Daniel": "Dan Danny",
    "Matthew": "Matt", "Patrick": "Pat Paddy", "Harold": "Harry Hal", "Arthur": "Art Artie",
    "Dorothy": "Dolly Dot Dotty", "Eleanor": "Nell Nellie Ellie", "Helen": "Nell Nellie", "Isabella": "Bella Isa Belle",
    "Isabel": "Bella", "Rebecca": "Becky", "Virginia": "Ginny", "Ginevra": "Ginny",
    "Hermione": "Mione", "Draco": "Dray", "Sirius": "Siri Padfoot", "Remus": "Moony", "Cecily": "Cissy",
    "Narcissa": "Cissy", "Victoria": "Vicky Tori", "Abigail": "Abby", "Deborah": "Debbie Deb",
    "Frances": "Fanny Fran", "Gilbert": "Gil Bert", "Albert": "Al Bert Bertie", "Augustus": "Gus",
    "Theodora": "Dora", "Nymphadora": "Dora", "Jonathan": "Jon Jonny", "Anthony": "Tony",
    "Steven": "Steve", "Stephen": "Steve", "Walter": "Walt Wally", "Lawrence": "Larry Laurie",
    "Laurence": "Larry Laurie", "Timothy": "Tim Timmy", "Philip": "Phil Pip", "Alfred": "Alf Alfie Fred",
    "Caroline": "Carrie Caro", "Florence": "Flo Flossie", "Harriet": "Hattie",
    "Emily": "Em Emmy", "Tobias": "Toby", "Jeremiah": "Jerry", "Zachary": "Zach Zack", "Emma": "Em Emmy", "Matilda": "Tilly Tilda", "Penelope": "Penny Pen",
    "Cecilia": "Sissy", "Louisa": "Lou Louie Loo", "Evelyn": "Evie", "Francis": "Frank Frankie",
}.items():
    for _s in _shorts.split():
        HYPOCORISMS.setdefault(_s, _full)

# Capitalised words that are never a person's name on their own.
NOT_NAMES = set("""
I I'm I'd I'll I've A An The And But Or Nor For So Yet If Then Than Because Though Although While When
Whenever Where Wherever Why How What Whatever Which Who Whom Whose Whoever This That These Those There
Here He She It We They You Me Him Her Us Them My Your His Its Our Their Mine Yours Hers Ours Theirs
Myself Yourself Himself Herself Itself Ourselves Themselves One Someone Somebody Something Anyone Anybody
Anything Everyone Everybody Everything Nobody None Nothing No Not Yes Yeah Yep Nope Okay Ok OK Oh Ah Aha
Ahh Alas Eh Er Erm Um Umm Uh Hm Hmm Hmmm Huh Ha Hah Haha Heh Hey Hi Hello Hullo Goodbye Bye Good Well Welcome
Thanks Thank Please Sorry Pardon Excuse Indeed Really Surely Certainly Perhaps Maybe Still Now Just
Even Only Also Again Already Always Never Ever Often Sometimes Soon Later Today Tonight Tomorrow Yesterday
After Before During Since Until Till Upon On In At Of To From With Without Within Into Onto Over Under
About Above Below Across Along Among Around Behind Beside Besides Between Beyond By Down Up Off Out
Through Throughout Toward Towards Like Unlike As Whether Both Either Neither Each Every All Any Some
Many Much More Most Few Several Such Other Another Same Own Very Too Quite Rather Almost Enough
Let Lets Let's Lest Do Does Did Don't Doesn't Didn't Is Are Was Were Be Been Being Am Have Has Had Having
Can Could Shall Should Will Would May Might Must Ought Won't Can't Couldn't Shouldn't Wouldn't Isn't
Aren't Wasn't Weren't Haven't Hasn't Hadn't Go Come Look See Listen Wait Stop Say Tell Ask Get Give
Take Make Keep Put Leave Run Hurry Quick Quiet Hush Shh Shush Silence Help Damn Dammit Hell Bloody
Christ Jesus God Gods Heaven Heavens Goodness Gosh Golly Lord Lordy Dear Darling Sweetheart Honey Love
Mother Father Mama Papa Mamma Pappa Mum Mom Dad Daddy Mummy Mommy Grandma Grandpa Granny Sir Madam
Ma'am Miss Mister Missus Master Mistress Boy Girl Man Woman Child Son Daughter Brother Sister Uncle Aunt
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July
August September October November December Christmas Easter Michaelmas Midsummer Halloween Whitsun
Lent Sabbath Chapter Part Book Volume Prologue Epilogue Act Scene Section Page Note Notes Summary Disclaimer
Author End Finis Fin Mr Mrs Ms Dr Mme Mlle Mon Monsieur Madame Mademoiselle First Second Third
Next Once Twice Meanwhile However Therefore Thus Hence Besides Moreover Nevertheless Instead Otherwise
English French German Italian Spanish Russian American British Scotch Scottish Irish Welsh Indian
Chinese Japanese Dutch Swiss Greek Roman Latin Turkish Polish Austrian Prussian European African Asian
Englishman Englishwoman Englishmen Frenchman Frenchwoman Frenchmen Catholic Protestant Christian
Christians Christmas Anglo Hindu Hindus Moslem Moslems Muslim Muslims Mohammedan Jew Jews Jewish
Negro Negroes Oriental Eastern Western Northern Southern North South East West Continental Yankee
Muggle Muggles Mudblood Squib Animagus Apparate Quidditch Galleons Sickles Knuts Floo Portkey
Internet TV Okay Alright OMG LOL D'you D'ye Y'know C'mon G'night How-d'ye-do Goodbye Good-bye
Good-night Goodnight Good-morning Highness Majesty Excellency Lordship Ladyship Honour Honor
Worship Grace Reverence Holiness Eminence Sahib Memsahib
State States Government Parliament Police Army Navy Islam Christianity Providence Fate Fortune Nature
Science Art Liberty Justice Society Empire Republic Crown Cabinet Ministry Senate Congress Commons
Pole Poles Turk Turks Spaniard Spaniards Dane Danes Swede Swedes Arab Arabs Persian Persians Hindoo
Hindoos Parsee Parsees Brahman Brahmans Brahmin Brahmins Mussulman Mussulmans Indians Americans Germans
Italians Russians Frenchwomen Englishwomen Irishman Irishmen Scotchman Scotchmen Welshman Dutchman
Yankees Canadian Canadians Premier Mohurram Muharram Ramadan Ramazan Diwali Passover Hanukkah Whitsuntide Candlemas Lady-day
Bonjour Bonsoir Adieu Merci Hein Voila Voilà Parbleu Pardieu Diantre Sapristi Tiens Allons Oui Non Dieu Ciao Grazie
Prego Basta Ecco Bravo Brava Bravissimo Addio Danke Bitte Nein Ach Hola Adios Adiós Gracias Arigato Sayonara
Konnichiwa Ohayo Salaam Shalom Mazel Ahoy Avast Cheerio Toodle-oo
""".split())

# People a story talks about but who are never in it: writers, composers, painters, thinkers,
# rulers of history, gods and legends. Unless seen speaking or called Mr./Mrs. ("Mrs. Reynolds" is a
# housekeeper), such a name is no character. Given names and common surnames (Horace, Scott) are left out.
FAMOUS_FIGURES = set("""
Shakespeare Milton Chaucer Byron Shelley Keats Wordsworth Coleridge Tennyson Swinburne Ruskin Macaulay
Carlyle Gibbon Dryden Cowper Dickens Thackeray Trollope Balzac Flaubert Voltaire Rousseau Goethe
Schiller Petrarch Boccaccio Ovid Plato Socrates Aristotle Plutarch Cicero Mozart Beethoven Handel Haydn
Wagner Chopin Schubert Schumann Brahms Verdi Rossini Donizetti Michelangelo Titian Giotto Botticelli
Rembrandt Rubens Gainsborough Darwin Galileo Napoleon Bonaparte Caesar Cromwell Gladstone Disraeli
Krishna Vishnu Shiva Lakshmi Buddha Mahomet Jove Jupiter Galahad Lancelot Guinevere Lammermoor Ibsen
Tolstoy Turgenev
""".split())

# Words that mark a capitalised sequence as a place or thing rather than a person.
PLACE_WORDS = set("""
Street St Road Rd Lane Avenue Ave Square Place Park Hall House Court Castle Manor Abbey Church Chapel
Cathedral Palace Tower Bridge Gardens Garden Green Hill Hills Heath Common Cottage Farm Lodge Inn Hotel
Club Theatre Theater Museum Gallery College School University Academy Hospital Station Railway Terrace
Crescent Row Gate Gates Wood Woods Forest River Lake Sea Ocean Bay Island Islands Mountain Mountains
Valley Street Alley Market Mill Mills Priory Rectory Vicarage Parsonage Grange Towers Crossing Harbour
Harbor Port City Town Village County Shire Kingdom Empire Republic Office Ministry Department Company
Society Bank Exchange Hotel Restaurant Cafe Café Shop Store Pub Tavern Arms Bar Room Hogwarts Alley
Caves Cave Ridge Point Falls Springs Valley Desert Island Coast Road Drive Way Walk Embankment
Chateau Château Villa Loggia Piazza Plaza Fort Temple Mosque Mount Lake Cape
""".split())
PLACE_WORDS -= {"Hill"}
# A few places common enough in fiction to be worth knowing without context.
PLACES = set("""
England Scotland Ireland Wales Britain France Italy Germany Spain Portugal Russia America Canada
India China Japan Egypt Greece Rome Paris London Bath Brighton Oxford Cambridge Edinburgh Dublin
Venice Naples Milan Vienna Berlin Moscow Petersburg Geneva Switzerland Holland Belgium
Brussels Europe Africa Asia Australia York Boston Chicago Washington Manchester Liverpool Bristol
Hogwarts Hogsmeade Azkaban Gringotts Diagon Knockturn Konoha Kent Surrey Devonshire Derbyshire
Hertfordshire Yorkshire Cornwall Somerset Sussex Essex Norfolk Suffolk Hampshire Dorset Devon
Heaven Hell Paradise Eden Jerusalem Bombay Calcutta Delhi Madras Constantinople Lisbon Madrid
""".split())   # "Mrs. Hill" is a housekeeper more often than a hill

PERSON_NOUNS = set("""
man men woman women boy girl lady gentleman child kid baby lad lass fellow guy chap youth maid maiden
stranger visitor guest host hostess father mother dad mum mom papa mama brother sister son daughter uncle
aunt cousin nephew niece husband wife widow widower bride groom bridegroom friend lover rival enemy partner
boyfriend girlfriend fiancé fiancée fiance fiancee servant butler footman housekeeper cook coachman
driver waiter waitress clerk doctor nurse professor teacher student pupil master mistress headmaster
headmistress captain colonel general officer soldier sergeant lieutenant major king queen prince princess
lord duke duchess count countess knight squire priest vicar clergyman rector curate monk nun bishop
judge lawyer inspector detective policeman constable thief murderer prisoner guard wizard witch werewolf
wolf vampire elf dwarf giant blond blonde brunette redhead teen teenager heir heiress champion hero heroine
villain mage sorcerer sorceress ninja samurai shinobi sensei boss landlord landlady porter messenger
sailor gardener farmer peasant merchant shopkeeper secretary maidservant governess tutor baronet
stepmother stepfather grandmother grandfather granddaughter grandson godfather godmother twin eater
healer auror slytherin gryffindor hufflepuff ravenclaw traveller traveler girlie youngster elder
""".split())
# "the Jew", "the Frenchman": a people's name as a noun, an epithet of someone in a speech tag
# (nouns only: "the French", "the German" are as often adjectives); no mention of its own
DEMONYM_NOUNS = {
    **{w: "M" for w in """jew frenchman englishman irishman scotchman scotsman welshman dutchman
       yankee""".split()},
    **{w: "F" for w in "jewess frenchwoman englishwoman irishwoman scotchwoman".split()},
}
PERSON_NOUN_GENDER = {
    **{w: "M" for w in """man men boy gentleman lad fellow guy chap father dad papa brother son uncle nephew
       husband widower groom bridegroom boyfriend fiancé fiance butler footman waiter king prince lord duke
       count knight squire priest vicar clergyman monk bishop policeman wizard blond headmaster master
       sorcerer landlord sailor baronet stepfather grandfather grandson godfather""".split()},
    **{w: "F" for w in """woman women girl lady maid maiden mother mum mom mama sister daughter aunt niece
       wife widow bride girlfriend fiancée fiancee waitress nurse queen princess duchess countess nun witch
       blonde brunette heiress heroine mistress headmistress hostess governess landlady sorceress maidservant
       stepmother grandmother granddaughter godmother girlie""".split()},
}

_NOT_MEN = {"german", "germans", "human", "humans", "roman", "romans", "norman", "shaman", "ottoman", "talisman",
            "specimen", "omen", "amen", "regimen", "abdomen", "acumen", "stamen"}
_CLERGY = {"rector", "curate", "parson", "chaplain", "archdeacon", "deacon", "abbot", "friar"}


def noun_gender(head: str) -> str | None:
    """The sex a description's head says: the table, then the last part of a compound
    ("charity-boy", "station-master") and callings by their ending ("cabman", "housemaid")."""
    head = head.lower()
    g = PERSON_NOUN_GENDER.get(head)
    if g or head in _CLERGY:
        return g or "M"
    last = head.rsplit("-", 1)[-1]
    if last != head:
        g = PERSON_NOUN_GENDER.get(last)
        if g:
            return g
    if last.endswith(("woman", "women", "maid", "mistress")):
        return "F"
    if last.endswith(("man", "men", "master")) and last not in _NOT_MEN:
        return "M"
    return None


SPEECH_VERBS = set("""
said says say asked asks replied replies answered cried exclaimed shouted yelled whispered muttered
murmured called added continued began repeated returned observed remarked responded retorted snapped
growled hissed sighed laughed inquired enquired demanded declared insisted explained suggested agreed
interrupted protested pleaded begged urged went resumed rejoined ventured admitted thought mumbled
stammered groaned breathed drawled sneered chuckled giggled grumbled screamed shrieked roared bellowed
reported corroborated boomed interposed assented conceded echoed gasped panted sobbed wailed whimpered
announced argued confessed persisted pursued proceeded chimed complained concluded confided corrected
croaked hazarded jeered objected prompted queried quoth rasped remonstrated spluttered squeaked
thundered whined
""".split())

CONTRACTION_TAIL = re.compile(r"['’](?:d|ll|ve|re|m|t|s)$", re.I)
_DOTLESS = re.compile(r"\.$")


@dataclass(frozen=True)
class NameParts:
    """A surface name split into parts: titles ("Mr."), core tokens ("Fitzwilliam Darcy"), honorific."""
    titles: tuple[str, ...]
    core: tuple[str, ...]
    honorific: str | None

    @property
    def title_key(self) -> str | None:
        return self.titles[-1] if self.titles else None

    @property
    def gender(self) -> str | None:
        for t in self.titles:
            g = TITLES.get(t)
            if g:
                return g
        if self.honorific:
            return HONORIFICS.get(self.honorific)
        return None

    @property
    def key(self) -> str:
        return " ".join(self.core)


def title_key(word: str) -> str:
    return _DOTLESS.sub("", word).lower()


def is_title(word: str) -> bool:
    return title_key(word) in TITLES and word[:1].isupper()


def split_honorific(token: str) -> tuple[str, str | None]:
    if "-" in token:
        stem, _, tail = token.rpartition("-")
        if tail.lower() in HONORIFICS and stem:
            return stem, tail.lower()
    return token, None


def parse_name(surface: str) -> NameParts:
    """'Mr. Fitzwilliam Darcy' -> (mr,), (Fitzwilliam, Darcy); 'Sasuke-kun' -> (), (Sasuke,), kun."""
    words = surface.replace("\u2019", "'").split()
    titles: list[str] = []
    while len(words) > 1 and is_title(words[0]):
        titles.append(title_key(words.pop(0)))
    honorific = None
    if words:
        stem, honorific = split_honorific(words[-1])
        words[-1] = stem
    core = tuple(w for w in words if w)
    return NameParts(tuple(titles), core, honorific)


def canonical_given(token: str) -> str:
    return HYPOCORISMS.get(token, token)


def genders_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b

# Common given names and the sex they usually mark; used only when pronouns and titles are silent.
GIVEN_NAME_GENDER: dict[str, str] = {}
for _g, _names in (("F", """
Ada Agnes Alice Amelia Amy Angela Ann Anna Anne Annie Arabella Audrey Barbara Beatrice Bella Bertha
Betsy Betty Blanche Bridget Caroline Carrie Catherine Cecilia Cecily Celia Charlotte Chloe Clara Claire
Clarissa Constance Cora Cynthia Daisy Diana Dinah Dora Dorothy Edith Eleanor Elinor Eliza Elizabeth Ella
Ellen Elsie Emily Emma Esther Ethel Eugenia Eva Eve Evelyn Fanny Flora Florence Frances Georgiana
Georgina Gertrude Gladys Grace Hannah Harriet Helen Henrietta Hester Hetty Ida Isabel Isabella Jane
Janet Jean Jemima Jenny Jessie Joan Josephine Judith Julia Juliet Kate Katharine Katherine Kitty Laura
Lavinia Leonora Letitia Lilian Lily Lizzy Lois Louisa Louise Lucia Lucy Lydia Mabel Madeline Maggie
Margaret Maria Marian Marianne Marie Marjorie Martha Mary Matilda Maud Meg Mildred Milly Minnie Miriam
Molly Nancy Nell Nellie Nora Olive Olivia Pamela Patience Pauline Peggy Penelope Phoebe Polly Priscilla
Prudence Rachel Rebecca Rhoda Rosa Rosalind Rose Ruth Sally Sarah Selina Sophia Sophie Susan Susanna
Sybil Sylvia Theresa Veronica Violet Virginia Winifred May June April Hermione Ginny Luna Minerva Molly Petunia Lavender Pansy
Narcissa Bellatrix Nymphadora Tonks Fleur Cho Padma Parvati Lily Sakura Hinata Ino Tenten Tsunade
""".split()), ("M", """
Adam Albert Alexander Alfred Algernon Allan Ambrose Andrew Anthony Archibald Arthur Augustus Basil
Benjamin Bernard Bertie Bill Cecil Charles Charley Christopher Clarence Claude Clement Cyril Daniel David
Denis Dick Donald Douglas Edgar Edmund Edward Edwin Ernest Eugene Felix Francis Frank Fred Frederick
Gabriel Geoffrey George Gerald Gilbert Godfrey Gregory Guy Harold Harry Henry Herbert Horace Hugh
Humphrey Isaac Jack Jacob James Jasper Jem Jim Joe John Jonathan Joseph Josiah Julian Julius Laurence
Lawrence Leonard Lewis Lionel Louis Luke Mark Martin Matthew Maurice Michael Nathaniel Ned Nicholas Noah
Oliver Oscar Patrick Paul Percy Peter Philip Ralph Raymond Reginald Reggie Richard Robert Roger Ronald
Ronny Rupert Samuel Sidney Simon Stephen Teddy Theodore Thomas Timothy Tom Tony Victor Vincent Walter
Wilfred William Willoughby Draco Ron Neville Remus Sirius Severus Albus Lucius Sasuke Naruto Kakashi
Itachi Kaito Peeta Gale Legolas Aragorn Frodo Samwise Merry Pippin
""".split())):
    for _n in _names:
        GIVEN_NAME_GENDER.setdefault(_n, _g)


def given_name_gender(name: str) -> str | None:
    return GIVEN_NAME_GENDER.get(name) or GIVEN_NAME_GENDER.get(HYPOCORISMS.get(name, ""))


def patronymic_gender(word: str) -> str | None:
    """A Russian patronymic tells the sex: "Ivanovitch" (M), "Vassilievna" (F)."""
    w = word.lower()
    if len(w) > 6 and w.endswith(("ovitch", "evitch", "ovich", "evich")):
        return "M"
    if len(w) > 6 and w.endswith(("ovna", "evna", "ichna", "inichna")):
        return "F"
    return None
