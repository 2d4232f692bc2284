/**
 * Tables for realistic synthetic citizens. Weights are rough shares of the population, enough for a dataset that
 * looks like the country (many Nguyễn, many people born in Hà Nội and Hồ Chí Minh City), not statistics.
 */

/** Family names and their approximate share in percent. */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 3], ['Huỳnh', 2.1], ['Phan', 4.5],
  ['Vũ', 2], ['Võ', 1.9], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1],
  ['Lý', 0.5], ['Đinh', 0.6], ['Trịnh', 0.5], ['Đoàn', 0.5], ['Lương', 0.4], ['Mai', 0.4], ['Lâm', 0.4],
  ['Tạ', 0.2], ['Cao', 0.3], ['Chu', 0.2], ['Quách', 0.1], ['Thái', 0.2], ['Hà', 0.3], ['Kiều', 0.1],
  ['Tô', 0.2], ['Vương', 0.2], ['Châu', 0.2], ['Lưu', 0.2], ['Triệu', 0.1], ['Âu', 0.05], ['Khổng', 0.05],
];

/** Middle names; "Văn" and "Thị" were near universal for the older generations and less so for the younger. */
export const TRADITIONAL_MIDDLE = { male: 'Văn', female: 'Thị' } as const;

export const MIDDLE_NAMES = {
  male: ['Đức', 'Minh', 'Quang', 'Hữu', 'Công', 'Thành', 'Xuân', 'Hoàng', 'Ngọc', 'Gia', 'Bảo', 'Anh', 'Duy', 'Trung',
    'Quốc', 'Đình', 'Tuấn', 'Mạnh', 'Thanh', 'Hải', 'Khánh', 'Nhật', 'Phúc', 'Tiến', 'Việt'],
  female: ['Ngọc', 'Thu', 'Thanh', 'Minh', 'Bảo', 'Kim', 'Phương', 'Hồng', 'Mai', 'Thúy', 'Khánh', 'Quỳnh', 'Diệu',
    'Hoài', 'Tuyết', 'Bích', 'Mỹ', 'Hải', 'Gia', 'Cẩm', 'Như', 'Yến', 'Lan', 'Thảo', 'Hà'],
} as const;

export const GIVEN_NAMES = {
  male: ['An', 'Anh', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Đức', 'Giang', 'Hải', 'Hào', 'Hiếu', 'Hòa', 'Hoàng',
    'Hùng', 'Huy', 'Khang', 'Khánh', 'Khoa', 'Khôi', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Luân', 'Minh', 'Nam', 'Nghĩa',
    'Nguyên', 'Nhân', 'Phong', 'Phú', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Tâm', 'Thắng', 'Thành', 'Thịnh',
    'Thuận', 'Tiến', 'Toàn', 'Trí', 'Trọng', 'Trung', 'Tú', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ', 'Thủy', 'Thụy'],
  female: ['An', 'Anh', 'Ánh', 'Bích', 'Châu', 'Chi', 'Diễm', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền',
    'Hoa', 'Hòa', 'Hồng', 'Huệ', 'Hương', 'Huyền', 'Lan', 'Liên', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân',
    'Ngọc', 'Nhi', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Quỳnh', 'Tâm', 'Thảo', 'Thơ', 'Thu', 'Thùy', 'Thúy', 'Thư',
    'Trang', 'Trâm', 'Tuyết', 'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến', 'Khuê', 'Thoa', 'Xoan'],
} as const;

/**
 * Codes of the provinces and centrally run cities where births are registered (the first three digits of a personal
 * identification number), with a rough population weight in hundred thousands.
 */
export const PROVINCES: readonly (readonly [number, number])[] = [
  [1, 85], [2, 9], [4, 5], [6, 3], [8, 8], [10, 7], [11, 6], [12, 5], [14, 13], [15, 8], [17, 9], [19, 13],
  [20, 8], [22, 13], [24, 19], [25, 15], [26, 12], [27, 14], [30, 19], [31, 21], [33, 13], [34, 19], [35, 9],
  [36, 18], [37, 10], [38, 37], [40, 34], [42, 13], [44, 9], [45, 6], [46, 11], [48, 12], [49, 15], [51, 12],
  [52, 15], [54, 9], [56, 12], [58, 6], [60, 12], [62, 6], [64, 15], [66, 19], [67, 7], [68, 13], [70, 10],
  [72, 12], [74, 26], [75, 32], [77, 12], [79, 92], [80, 17], [82, 18], [83, 13], [84, 10], [86, 10], [87, 16],
  [89, 19], [91, 17], [92, 12], [93, 7], [94, 12], [95, 9], [96, 12],
];
