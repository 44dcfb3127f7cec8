"""Tables the synthetic population draws from: Vietnamese names with their rough frequencies,
mobile prefixes, street and hamlet names, occupations and company words. Data, no logic."""

from __future__ import annotations

# Family names (họ) with approximate shares in northern Vietnam, in per mille. Nguyễn is ~38 %;
# the north says Hoàng and Vũ where the south says Huỳnh and Võ. The rest of the 1,000 is spread
# over the long tail at the end.
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 384), ("Trần", 110), ("Lê", 90), ("Phạm", 70), ("Hoàng", 45), ("Huỳnh", 6),
    ("Vũ", 35), ("Võ", 5), ("Phan", 40), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 16), ("Hồ", 11),
    ("Ngô", 13), ("Dương", 10), ("Đinh", 8), ("Trương", 7), ("Lý", 5), ("Đào", 8), ("Trịnh", 7),
    ("Lưu", 5), ("Mai", 5), ("Cao", 5), ("Tạ", 5), ("Hà", 6), ("Chu", 4), ("Kiều", 4),
    ("Lương", 5), ("Khuất", 3), ("Nghiêm", 3), ("Triệu", 3), ("Văn", 3), ("Quách", 2),
    ("Tô", 2), ("Lại", 3), ("Phùng", 4), ("Đoàn", 5), ("Vương", 2), ("Thái", 2),
]

# Middle names (tên đệm). Văn and Thị dominate older generations and fade in younger ones.
MALE_TRADITIONAL = "Văn"
FEMALE_TRADITIONAL = "Thị"
MALE_MIDDLE = ["Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thành", "Tiến", "Mạnh", "Đình",
               "Ngọc", "Trung", "Hoàng", "Anh", "Gia", "Bảo", "Duy", "Thế", "Trọng", "Việt"]
FEMALE_MIDDLE = ["Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Thúy", "Bích", "Khánh",
                 "Hải", "Diệu", "Mai", "Lan", "Bảo", "Hoài", "Thùy", "Quỳnh", "Như", "Yến"]

MALE_GIVEN = ["Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Sơn", "Thắng", "Quân",
              "Cường", "Đức", "Hiếu", "Huy", "Khánh", "Phong", "Thành", "Trung", "Việt", "Vinh",
              "Hoàng", "Tùng", "Bình", "Lâm", "Tài", "Trọng", "Toàn", "Thịnh", "Hưng", "Kiên",
              "Đạt", "Duy", "Phúc", "Quang", "Tiến", "Mạnh", "An", "Bảo", "Công", "Hậu", "Nghĩa",
              "Thái", "Tâm", "Khoa", "Lộc", "Chiến", "Thuận", "Giang", "Linh", "Đông"]
FEMALE_GIVEN = ["Lan", "Hoa", "Hương", "Mai", "Linh", "Hà", "Trang", "Thảo", "Ngọc", "Huyền",
                "Nhung", "Phương", "Thủy", "Hằng", "Yến", "Oanh", "Nga", "Loan", "Dung", "Hạnh",
                "Nhàn", "Quỳnh", "Vân", "Anh", "Chi", "Giang", "My", "Nhi", "Vy", "Hiền", "Liên",
                "Thu", "Tuyết", "Xuân", "Duyên", "Hồng", "Lụa", "Thơm", "Thắm", "Bích", "Diệp",
                "Ánh", "Uyên", "Trâm", "Huệ", "Lệ", "Nguyệt", "Tâm", "Thư", "Hậu"]

# Mobile prefixes after the 2018 renumbering (all 10-digit numbers), with rough market shares.
MOBILE_PREFIXES: list[tuple[str, float]] = [
    # Viettel
    ("086", 4), ("096", 8), ("097", 9), ("098", 9), ("032", 3), ("033", 3), ("034", 3),
    ("035", 3), ("036", 3), ("037", 3), ("038", 3), ("039", 3),
    # VinaPhone
    ("088", 3), ("091", 6), ("094", 5), ("081", 2), ("082", 2), ("083", 2), ("084", 2), ("085", 2),
    # MobiFone
    ("090", 5), ("093", 4), ("070", 2), ("076", 1), ("077", 2), ("078", 1), ("079", 2),
    # Vietnamobile, Gmobile (089x and 099x are only partly allocated: left out)
    ("092", 2), ("056", 1), ("058", 1), ("059", 1),
]

STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Hùng Vương", "Lý Thường Kiệt", "Mê Linh",
           "Ngô Quyền", "Trần Hưng Đạo", "Nguyễn Tất Thành", "Lê Duẩn", "Kim Ngọc", "Chùa Hà",
           "Nguyễn Văn Linh", "Hai Bà Trưng", "Lam Sơn", "Tôn Đức Thắng", "Phan Bội Châu",
           "Quang Trung", "Nguyễn Du", "Lê Quý Đôn", "Đội Cấn", "Hoàng Hoa Thám"]
HAMLET_WORDS = ["Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Đình", "Chùa", "Giữa",
                "Mới", "Cả", "Bến", "Gò", "Đồng", "Phú", "An", "Yên", "Hòa", "Lạc"]

# Occupation labels (nghề nghiệp) as written on case forms.
FACTORY_WORKER = "Công nhân"
TRADER = "Tiểu thương"
PUPIL = "Học sinh"
STUDENT = "Sinh viên"
RETIRED = "Hưu trí"
SMALL_JOBS = ["Nhân viên văn phòng", "Giáo viên", "Thợ may", "Thợ xây", "Lái xe",
              "Nhân viên bán hàng", "Cán bộ", "Kỹ sư", "Nhân viên y tế", "Thợ cơ khí"]
NO_WORKPLACE_JOBS = ["Nông dân", "Nội trợ", "Lao động tự do", "Buôn bán"]

# Fictional company names: no real firm is ever named as an outbreak site.
COMPANY_TRADES = ["Điện tử", "May mặc", "Cơ khí", "Linh kiện", "Nhựa", "Bao bì", "Gốm sứ",
                  "Thực phẩm", "Vật liệu xây dựng", "Dệt may", "Thiết bị điện", "Gỗ nội thất"]
COMPANY_WORDS = ["Hưng Thịnh", "Phát Đạt", "An Phú", "Minh Long", "Đại Việt", "Thành Công",
                 "Tân Tiến", "Hòa Bình", "Việt Hàn", "Kim Long", "Sao Mai", "Trường An",
                 "Phú Cường", "Nam Việt", "Hồng Hà", "Đông Á", "Thái Bình Dương", "Vạn Xuân"]
SMALL_PLACES = ["Xưởng may", "Cửa hàng vật liệu", "Xưởng gỗ", "Nhà hàng", "Gara ô tô",
                "Cửa hàng điện máy", "Văn phòng công ty", "Xưởng cơ khí", "Cửa hàng tạp hóa",
                "Quán cà phê", "Tiệm cắt tóc", "Xưởng in", "Cơ sở chế biến thực phẩm"]

# Industrial parks (khu công nghiệp) of Vĩnh Phúc and the commune each lies in; other provinces
# get parks named after their largest wards.
INDUSTRIAL_PARKS = {
    "26": [("KCN Khai Quang", "Khai Quang"), ("KCN Bình Xuyên", "Hương Canh"),
           ("KCN Bá Thiện", "Thiện Kế"), ("KCN Bá Thiện II", "Bá Hiến"),
           ("KCN Thăng Long Vĩnh Phúc", "Tam Hợp"), ("KCN Phúc Yên", "Nam Viêm"),
           ("KCN Tam Dương II", "Kim Long"), ("KCN Chấn Hưng", "Chấn Hưng")],
}

# identities draws one index for either sex: the paired tables must be the same length.
assert len(MALE_GIVEN) == len(FEMALE_GIVEN) and len(MALE_MIDDLE) == len(FEMALE_MIDDLE)
