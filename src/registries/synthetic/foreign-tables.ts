/**
 * Tables for realistic synthetic foreigners: the nationalities most represented among residents of Vietnam, how their
 * names are written on the passport, and the shape of their passport numbers.
 */
export interface NationalityProfile {
  /** ISO 3166-1 alpha-3 (Decision 34 Art 4.2.dd). */
  code: string;
  /** Rough share of foreign residents. */
  weight: number;
  /** true: family name first, as East Asian passports print it. */
  familyNameFirst: boolean;
  familyNames: readonly string[];
  givenNames: { male: readonly string[]; female: readonly string[] };
  /** `#` digit, `@` letter, `*` letter or digit, anything else literal. */
  passportPattern: string;
}

export const NATIONALITIES: readonly NationalityProfile[] = [
  {
    code: 'KOR', weight: 24, familyNameFirst: true, passportPattern: 'M########',
    familyNames: ['Kim', 'Lee', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim', 'Han', 'Shin'],
    givenNames: {
      male: ['Min-jun', 'Seo-jun', 'Do-yun', 'Ji-ho', 'Hyun-woo', 'Jae-won', 'Sung-min', 'Dong-hyun'],
      female: ['Seo-yeon', 'Ji-woo', 'Ha-eun', 'Min-seo', 'Soo-ah', 'Ji-yeon', 'Eun-ji', 'Hye-jin'],
    },
  },
  {
    code: 'CHN', weight: 20, familyNameFirst: true, passportPattern: 'E########',
    familyNames: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun'],
    givenNames: {
      male: ['Wei', 'Lei', 'Jun', 'Hao', 'Yong', 'Jie', 'Tao', 'Ming', 'Qiang', 'Haoran'],
      female: ['Fang', 'Na', 'Min', 'Jing', 'Li', 'Yan', 'Xiu', 'Ying', 'Hui', 'Xinyi'],
    },
  },
  {
    code: 'JPN', weight: 10, familyNameFirst: true, passportPattern: '@@#######',
    familyNames: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi'],
    givenNames: {
      male: ['Haruto', 'Hiroshi', 'Takeshi', 'Kenji', 'Sota', 'Yuto', 'Daiki', 'Ren'],
      female: ['Yui', 'Aoi', 'Hina', 'Yuki', 'Sakura', 'Mei', 'Akari', 'Emi'],
    },
  },
  {
    code: 'TWN', weight: 8, familyNameFirst: true, passportPattern: '#########',
    familyNames: ['Chen', 'Lin', 'Huang', 'Chang', 'Li', 'Wang', 'Wu', 'Liu', 'Tsai', 'Yang'],
    givenNames: {
      male: ['Chih-ming', 'Chun-hung', 'Wei-lun', 'Yu-cheng', 'Chia-hao', 'Kuan-ting'],
      female: ['Shu-fen', 'Mei-ling', 'Ya-ting', 'Hsin-yi', 'Yi-chen', 'Pei-shan'],
    },
  },
  {
    code: 'USA', weight: 5, familyNameFirst: false, passportPattern: '@########',
    familyNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', "O'Connor"],
    givenNames: {
      male: ['James', 'Michael', 'Robert', 'David', 'William', 'Daniel', 'Matthew', 'Ethan'],
      female: ['Mary', 'Jennifer', 'Linda', 'Emily', 'Sarah', 'Jessica', 'Olivia', 'Emma'],
    },
  },
  {
    code: 'FRA', weight: 3, familyNameFirst: false, passportPattern: '##@@#####',
    familyNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Lefèvre', 'Girard', 'Moreau', 'Fontaine'],
    givenNames: {
      male: ['François', 'Jérôme', 'Étienne', 'Louis', 'Hugo', 'Gabriel', 'Noël', 'Léo'],
      female: ['Hélène', 'Chloé', 'Léa', 'Camille', 'Zoé', 'Inès', 'Amélie', 'Manon'],
    },
  },
  {
    code: 'GBR', weight: 3, familyNameFirst: false, passportPattern: '#########',
    familyNames: ['Taylor', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes'],
    givenNames: {
      male: ['Oliver', 'George', 'Harry', 'Jack', 'Charlie', 'Thomas', 'Oscar'],
      female: ['Amelia', 'Isla', 'Ava', 'Mia', 'Grace', 'Poppy', 'Sophie'],
    },
  },
  {
    code: 'AUS', weight: 3, familyNameFirst: false, passportPattern: 'P@#######',
    familyNames: ['Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Nguyen', 'Kelly'],
    givenNames: {
      male: ['Jack', 'Noah', 'William', 'Lachlan', 'Liam', 'Cooper'],
      female: ['Charlotte', 'Olivia', 'Chloe', 'Ruby', 'Matilda', 'Isla'],
    },
  },
  {
    code: 'DEU', weight: 2, familyNameFirst: false, passportPattern: 'C********',
    familyNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Schäfer', 'Groß'],
    givenNames: {
      male: ['Lukas', 'Jonas', 'Jürgen', 'Maximilian', 'Felix', 'Paul', 'Björn'],
      female: ['Anna', 'Lea', 'Jana', 'Sophie', 'Marie', 'Hannah', 'Käthe'],
    },
  },
  {
    code: 'RUS', weight: 3, familyNameFirst: false, passportPattern: '#########',
    familyNames: ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Volkov', 'Sokolov', 'Lebedev'],
    givenNames: {
      male: ['Alexander', 'Dmitry', 'Sergey', 'Andrey', 'Ivan', 'Mikhail'],
      female: ['Anastasia', 'Elena', 'Olga', 'Natalia', 'Tatiana', 'Maria'],
    },
  },
  {
    code: 'IND', weight: 3, familyNameFirst: false, passportPattern: '@#######',
    familyNames: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Gupta', 'Reddy', 'Iyer', 'Nair'],
    givenNames: {
      male: ['Aarav', 'Rahul', 'Arjun', 'Vikram', 'Rohan', 'Sanjay'],
      female: ['Priya', 'Ananya', 'Kavya', 'Divya', 'Neha', 'Pooja'],
    },
  },
  {
    code: 'THA', weight: 3, familyNameFirst: false, passportPattern: '@@#######',
    familyNames: ['Saetang', 'Wongsakul', 'Chaiyaporn', 'Srisuk', 'Rattanakosin', 'Boonmee'],
    givenNames: {
      male: ['Somchai', 'Anan', 'Kittisak', 'Prasert', 'Niran', 'Thanakorn'],
      female: ['Siriporn', 'Malee', 'Kanya', 'Ploy', 'Nattaya', 'Arunee'],
    },
  },
  {
    code: 'PHL', weight: 3, familyNameFirst: false, passportPattern: 'P#######@',
    familyNames: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Dela Cruz'],
    givenNames: {
      male: ['Jose', 'Juan', 'Mark', 'John Paul', 'Angelo', 'Carlo'],
      female: ['Maria', 'Angel', 'Kristine', 'Jasmine', 'Mary Grace', 'Rosario'],
    },
  },
  {
    code: 'SGP', weight: 2, familyNameFirst: true, passportPattern: 'K#######@',
    familyNames: ['Tan', 'Lim', 'Lee', 'Ng', 'Ong', 'Wong', 'Goh', 'Chua'],
    givenNames: {
      male: ['Wei Ming', 'Jun Jie', 'Kai Xiang', 'Zhi Hao', 'Yong Sheng'],
      female: ['Hui Min', 'Xin Yi', 'Jia Hui', 'Li Ting', 'Shu Qi'],
    },
  },
  {
    code: 'MYS', weight: 2, familyNameFirst: false, passportPattern: 'A########',
    familyNames: ['Abdullah', 'Ibrahim', 'Ismail', 'Rahman', 'Hassan', 'Tan', 'Lim'],
    givenNames: {
      male: ['Ahmad', 'Muhammad', 'Hafiz', 'Faizal', 'Amir', 'Daniel'],
      female: ['Nur Aisyah', 'Siti', 'Farah', 'Aina', 'Nurul', 'Mei Ling'],
    },
  },
  {
    code: 'CAN', weight: 2, familyNameFirst: false, passportPattern: '@@######',
    familyNames: ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Smith', 'MacDonald'],
    givenNames: {
      male: ['Liam', 'Noah', 'Benjamin', 'Félix', 'Samuel', 'Mathis'],
      female: ['Olivia', 'Emma', 'Charlotte', 'Léa', 'Alice', 'Béatrice'],
    },
  },
  {
    code: 'LAO', weight: 2, familyNameFirst: false, passportPattern: 'P#######',
    familyNames: ['Phommachanh', 'Sisavath', 'Vongsa', 'Keomany', 'Inthavong', 'Souvannavong'],
    givenNames: {
      male: ['Somphone', 'Bounmy', 'Khamphay', 'Souksavanh', 'Vilay'],
      female: ['Manivone', 'Phonesavanh', 'Keo', 'Chanthaly', 'Noy'],
    },
  },
  {
    code: 'KHM', weight: 1, familyNameFirst: true, passportPattern: 'N########',
    familyNames: ['Sok', 'Chan', 'Kim', 'Heng', 'Ly', 'Chea', 'Meas'],
    givenNames: {
      male: ['Dara', 'Vannak', 'Sophal', 'Rithy', 'Piseth'],
      female: ['Sreymom', 'Chanthou', 'Bopha', 'Sokha', 'Phalla'],
    },
  },
  {
    code: 'ITA', weight: 1, familyNameFirst: false, passportPattern: '@@#######',
    familyNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Ricci', "D'Angelo"],
    givenNames: {
      male: ['Luca', 'Marco', 'Alessandro', 'Niccolò', 'Matteo', 'Lorenzo'],
      female: ['Giulia', 'Francesca', 'Chiara', 'Sofia', 'Aurora', 'Martina'],
    },
  },
  {
    code: 'ESP', weight: 1, familyNameFirst: false, passportPattern: '@@@######',
    familyNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez'],
    givenNames: {
      male: ['José', 'Andrés', 'Iñaki', 'Javier', 'Álvaro', 'Sergio'],
      female: ['María', 'Lucía', 'Sofía', 'Begoña', 'Ángela', 'Carmen'],
    },
  },
];

/** Why a foreigner is in Vietnam, which decides the residence document and visa kind on file. */
export type StayPurpose = 'work' | 'invest' | 'study' | 'business' | 'tourism' | 'visa_exempt' | 'permanent' | 'family';

export const STAY_PURPOSES: readonly (readonly [StayPurpose, number])[] = [
  ['work', 34], ['invest', 10], ['study', 8], ['business', 10], ['tourism', 18], ['visa_exempt', 8], ['permanent', 4],
];

export const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
export const DIGITS = '0123456789';
