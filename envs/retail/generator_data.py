"""Vocabulary of the retail generator: product types with their options, people and places."""

from __future__ import annotations

# (product name, typical price, {option name: possible values})
PRODUCT_TYPES: tuple[tuple[str, float, dict[str, list[str]]], ...] = (
    ("Action Camera", 420.0, {"resolution": ["1080p", "4K", "5K"], "waterproof": ["yes", "no"], "color": ["black", "silver"]}),
    ("Air Fryer", 130.0, {"capacity": ["3L", "5L", "7L"], "color": ["black", "white", "red"], "display": ["digital", "dial"]}),
    ("Air Purifier", 310.0, {"room size": ["small", "medium", "large"], "filter type": ["HEPA", "carbon", "ionic"], "noise level": ["quiet", "standard"]}),
    ("Backpack", 95.0, {"color": ["black", "navy", "olive", "grey"], "capacity": ["20L", "30L", "40L"], "material": ["nylon", "canvas", "leather"]}),
    ("Bath Towel Set", 60.0, {"color": ["white", "grey", "blue", "sand"], "pieces": ["2", "4", "6"], "material": ["cotton", "bamboo"]}),
    ("Bicycle", 1450.0, {"frame size": ["small", "medium", "large"], "type": ["road", "mountain", "hybrid"], "color": ["black", "red", "blue"]}),
    ("Blender", 150.0, {"power": ["600W", "1000W", "1500W"], "jar material": ["glass", "plastic"], "color": ["black", "silver"]}),
    ("Board Game", 45.0, {"theme": ["strategy", "party", "cooperative", "family"], "players": ["2-4", "3-6", "2-8"]}),
    ("Bookshelf", 260.0, {"material": ["oak", "pine", "metal"], "height": ["3 ft", "4 ft", "5 ft", "6 ft"], "color": ["natural", "black", "white"]}),
    ("Camping Tent", 240.0, {"capacity": ["2-person", "4-person", "6-person"], "season": ["3-season", "4-season"], "color": ["green", "orange"]}),
    ("Ceiling Fan", 210.0, {"diameter": ["42 inch", "52 inch", "60 inch"], "finish": ["white", "bronze", "nickel"], "light": ["yes", "no"]}),
    ("Coffee Grinder", 110.0, {"grind type": ["blade", "burr"], "capacity": ["small", "large"], "color": ["black", "steel"]}),
    ("Coffee Maker", 180.0, {"type": ["drip", "pour over", "french press"], "capacity": ["4 cups", "8 cups", "12 cups"], "color": ["black", "white", "steel"]}),
    ("Cookware Set", 330.0, {"pieces": ["5", "10", "12"], "material": ["stainless steel", "nonstick", "cast iron"]}),
    ("Cycling Helmet", 120.0, {"size": ["S", "M", "L"], "color": ["black", "white", "red", "blue"], "ventilation": ["low", "medium", "high"]}),
    ("Desk Lamp", 75.0, {"color": ["black", "white", "brass"], "brightness": ["low", "medium", "high"], "power source": ["USB", "AC adapter", "battery"]}),
    ("Digital Camera", 1900.0, {"resolution": ["20MP", "24MP", "33MP"], "zoom": ["3x", "5x", "10x"], "storage": ["SD card", "CFexpress"]}),
    ("Drone", 780.0, {"camera": ["2.7K", "4K", "6K"], "flight time": ["20 min", "30 min", "45 min"], "color": ["grey", "white"]}),
    ("Dumbbell Set", 290.0, {"weight range": ["5-25 lbs", "30-50 lbs", "55-75 lbs"], "material": ["iron", "rubber", "urethane"], "set type": ["fixed", "adjustable"]}),
    ("E-Reader", 170.0, {"screen size": ["6-inch", "7-inch", "8-inch"], "storage": ["8GB", "16GB", "32GB"], "connectivity": ["Wi-Fi", "Wi-Fi + Cellular"]}),
    ("Electric Kettle", 70.0, {"capacity": ["1L", "1.5L", "2L"], "material": ["glass", "plastic", "stainless steel"], "color": ["black", "white", "silver"]}),
    ("Electric Scooter", 650.0, {"range": ["15 miles", "25 miles", "40 miles"], "color": ["black", "white", "green"], "foldable": ["yes", "no"]}),
    ("Electric Toothbrush", 90.0, {"color": ["white", "black", "pink", "blue"], "modes": ["2", "3", "5"], "battery": ["rechargeable", "AA batteries"]}),
    ("Espresso Machine", 980.0, {"pressure": ["9 bar", "15 bar", "19 bar"], "type": ["manual", "automatic", "capsule"], "color": ["black", "steel", "red"]}),
    ("Fleece Jacket", 85.0, {"size": ["XS", "S", "M", "L", "XL"], "color": ["black", "navy", "red", "green"], "zipper": ["full", "half"]}),
    ("Gaming Mouse", 65.0, {"color": ["black", "white", "RGB"], "sensor type": ["optical", "laser"], "connectivity": ["wired", "wireless"]}),
    ("Garden Hose", 48.0, {"length": ["25ft", "50ft", "100ft"], "material": ["rubber", "vinyl", "latex"], "color": ["green", "black", "blue"]}),
    ("Grill", 560.0, {"fuel": ["gas", "charcoal", "electric", "pellet"], "size": ["portable", "medium", "large"]}),
    ("Headphones", 240.0, {"type": ["over-ear", "on-ear", "in-ear"], "connectivity": ["wired", "wireless"], "color": ["black", "white", "blue"]}),
    ("Hiking Boots", 160.0, {"size": ["7", "8", "9", "10", "11", "12"], "material": ["leather", "synthetic"], "waterproof": ["yes", "no"]}),
    ("Jigsaw Puzzle", 28.0, {"pieces": ["500", "1000", "1500", "2000"], "theme": ["animals", "art", "landscape", "space"], "difficulty": ["beginner", "intermediate", "expert"]}),
    ("Laptop", 1600.0, {"screen size": ["13-inch", "15-inch", "17-inch"], "processor": ["i5", "i7", "i9"], "ram": ["8GB", "16GB", "32GB"], "color": ["silver", "space grey", "black"]}),
    ("LED Light Bulb", 22.0, {"brightness": ["60W equivalent", "75W equivalent", "100W equivalent"], "color temperature": ["warm white", "daylight"], "smart": ["yes", "no"]}),
    ("Luggage Set", 380.0, {"pieces": ["2-piece", "3-piece", "4-piece"], "shell": ["hardshell", "softshell"], "color": ["black", "blue", "silver", "red"]}),
    ("Mechanical Keyboard", 150.0, {"switch type": ["linear", "tactile", "clicky"], "backlight": ["none", "white", "RGB"], "layout": ["60%", "75%", "full size"]}),
    ("Monitor", 420.0, {"size": ["24-inch", "27-inch", "32-inch"], "resolution": ["1080p", "1440p", "4K"], "refresh rate": ["60Hz", "144Hz"]}),
    ("Office Chair", 340.0, {"material": ["mesh", "fabric", "leather"], "color": ["black", "grey", "blue"], "armrest": ["fixed", "adjustable", "none"]}),
    ("Patio Umbrella", 170.0, {"size": ["6 ft", "7.5 ft", "9 ft"], "color": ["beige", "navy", "red", "green"], "tilt": ["manual", "auto"]}),
    ("Perfume", 120.0, {"scent family": ["fresh", "floral", "woody", "oriental"], "size": ["30ml", "50ml", "100ml"]}),
    ("Pet Bed", 80.0, {"size": ["small", "medium", "large"], "material": ["fleece", "memory foam", "polyester"], "color": ["brown", "grey", "beige"]}),
    ("Portable Charger", 55.0, {"capacity": ["5000mAh", "10000mAh", "20000mAh"], "output": ["USB-A", "USB-C", "wireless"], "color": ["black", "white"]}),
    ("Rain Jacket", 110.0, {"size": ["S", "M", "L", "XL"], "color": ["yellow", "navy", "black"], "hood": ["fixed", "packable"]}),
    ("Running Shoes", 130.0, {"size": ["7", "8", "9", "10", "11"], "color": ["black", "white", "red", "blue"], "cushioning": ["light", "moderate", "max"]}),
    ("Skateboard", 110.0, {"deck material": ["maple", "bamboo", "plastic"], "length": ["28 inch", "31 inch", "34 inch"], "design": ["plain", "graphic", "custom"]}),
    ("Smart Thermostat", 200.0, {"compatibility": ["Google Assistant", "Amazon Alexa", "Apple HomeKit"], "color": ["white", "black", "steel"]}),
    ("Smart Watch", 330.0, {"case size": ["40mm", "44mm"], "band": ["silicone", "leather", "metal"], "color": ["black", "silver", "gold"]}),
    ("Smartphone", 990.0, {"storage": ["64GB", "128GB", "256GB", "512GB"], "color": ["black", "white", "blue", "gold"], "screen size": ["6.1-inch", "6.7-inch"]}),
    ("Sunglasses", 140.0, {"frame color": ["black", "tortoise", "gold"], "lens type": ["polarized", "non-polarized"], "lens color": ["grey", "brown", "green"]}),
    ("Tablet", 620.0, {"screen size": ["8-inch", "10-inch", "12-inch"], "storage": ["64GB", "128GB", "256GB"], "color": ["silver", "black", "gold"]}),
    ("Vacuum Cleaner", 420.0, {"type": ["upright", "canister", "robotic", "stick"], "bag": ["bagged", "bagless"], "feature": ["cordless", "HEPA filter", "pet hair"]}),
    ("Water Bottle", 30.0, {"capacity": ["500ml", "750ml", "1000ml"], "material": ["glass", "plastic", "stainless steel"], "color": ["black", "blue", "green", "red"]}),
    ("Yoga Mat", 55.0, {"thickness": ["4mm", "6mm", "8mm"], "material": ["PVC", "TPE", "natural rubber"], "color": ["purple", "blue", "green", "pink"]}),
)

FIRST_NAMES = (
    "Aarav", "Amara", "Ava", "Camila", "Chen", "Daiki", "Daniel", "Elena", "Emma", "Ethan", "Fatima",
    "Gabriel", "Hana", "Ibrahim", "Isabel", "James", "Jonas", "Kai", "Layla", "Leo", "Lucas", "Maya",
    "Mei", "Mohamed", "Nadia", "Noah", "Olivia", "Omar", "Priya", "Rafael", "Ravi", "Rosa", "Sara",
    "Sofia", "Tariq", "Theo", "Valentina", "Wei", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Adams", "Ahmed", "Alvarez", "Brooks", "Chen", "Costa", "Diaz", "Evans", "Fischer", "Garcia",
    "Gupta", "Haddad", "Ito", "Jensen", "Khan", "Kim", "Kowalski", "Lopez", "Martin", "Moreau",
    "Nakamura", "Nguyen", "Okafor", "Patel", "Petrov", "Quinn", "Reyes", "Rossi", "Santos", "Schmidt",
    "Silva", "Singh", "Tanaka", "Torres", "Walker", "Wang", "Weber", "Young", "Zhang", "Zimmer",
)
STREETS = (
    "Maple Avenue", "Oak Street", "Cedar Lane", "Pine Road", "Elm Street", "Willow Way", "Birch Court",
    "Lakeview Drive", "Hillside Road", "River Street", "Sunset Boulevard", "Park Place", "Mill Road",
    "Harbor Way", "Meadow Lane", "Spring Street", "Chestnut Drive", "Highland Avenue", "Forest Road",
    "Church Street",
)
# (city, state, first three digits of its zip codes)
CITIES = (
    ("Austin", "TX", "787"), ("Boston", "MA", "021"), ("Charlotte", "NC", "282"), ("Chicago", "IL", "606"),
    ("Columbus", "OH", "432"), ("Dallas", "TX", "752"), ("Denver", "CO", "802"), ("Houston", "TX", "770"),
    ("Indianapolis", "IN", "462"), ("Jacksonville", "FL", "322"), ("Los Angeles", "CA", "900"),
    ("Miami", "FL", "331"), ("Minneapolis", "MN", "554"), ("Nashville", "TN", "372"),
    ("New York", "NY", "100"), ("Philadelphia", "PA", "191"), ("Phoenix", "AZ", "850"),
    ("Portland", "OR", "972"), ("San Diego", "CA", "921"), ("San Francisco", "CA", "941"),
    ("San Jose", "CA", "951"), ("Seattle", "WA", "981"), ("Washington", "DC", "200"),
)
CARD_BRANDS = ("visa", "mastercard", "amex", "discover")
