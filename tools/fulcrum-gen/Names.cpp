// The word lists themselves: plausible people, companies, sectors and products (made up).
#include "tools/fulcrum-gen/Names.h"

namespace fulcrum::gen::names {
namespace {

constexpr std::string_view kFirst[] = {
    "Aaliyah",  "Aaron",    "Abigail", "Adam",    "Adrian",  "Aisha",   "Alejandro", "Alex",
    "Alice",    "Amara",    "Amelia",  "Amir",    "Ana",     "Andrea",  "Andrew",    "Anita",
    "Anna",     "Arjun",    "Ava",     "Ben",     "Bianca",  "Brandon", "Brian",     "Carla",
    "Carlos",   "Caroline", "Chen",    "Chloe",   "Chris",   "Claire",  "Daniel",    "David",
    "Diana",    "Diego",    "Dmitri",  "Elena",   "Eli",     "Emily",   "Emma",      "Eric",
    "Ethan",    "Fatima",   "Felix",   "Fiona",   "Gabriel", "Grace",   "Hana",      "Hannah",
    "Harper",   "Hassan",   "Ian",     "Ines",    "Isabel",  "Ivan",    "Jack",      "James",
    "Jasmine",  "Javier",   "Jenna",   "Jessica", "Ji-woo",  "John",    "Jordan",    "Julia",
    "Kai",      "Karen",    "Kenji",   "Kevin",   "Laila",   "Laura",   "Leo",       "Liam",
    "Lina",     "Lucas",    "Lucy",    "Maria",   "Mark",    "Maya",    "Mei",       "Michael",
    "Mohammed", "Nadia",    "Naomi",   "Nathan",  "Nia",     "Noah",    "Olivia",    "Omar",
    "Paul",     "Priya",    "Rachel",  "Rafael",  "Ravi",    "Rosa",    "Ryan",      "Sam",
    "Sara",     "Sofia",    "Sven",    "Tariq",   "Thomas",  "Tomas",   "Valentina", "Victor",
    "Wei",      "William",  "Yara",    "Yusuf",   "Zoe",
};

constexpr std::string_view kLast[] = {
    "Abbott",   "Adeyemi",  "Alvarez",  "Andersen", "Bailey",    "Banerjee", "Becker",   "Bennett",
    "Brooks",   "Campbell", "Carter",   "Castillo", "Chen",      "Clarke",   "Cohen",    "Costa",
    "Cruz",     "Dubois",   "Edwards",  "Evans",    "Fernandez", "Fischer",  "Foster",   "Garcia",
    "Gonzalez", "Gupta",    "Hansen",   "Harris",   "Hayes",     "Hughes",   "Ibrahim",  "Ito",
    "Jensen",   "Johnson",  "Kaur",     "Kelly",    "Khan",      "Kim",      "Kowalski", "Larsen",
    "Lee",      "Lopez",    "Martin",   "Meyer",    "Mitchell",  "Moreau",   "Murphy",   "Nakamura",
    "Nguyen",   "Novak",    "Okafor",   "Olsen",    "Ortiz",     "Park",     "Patel",    "Perez",
    "Petrov",   "Quinn",    "Ramirez",  "Reed",     "Reyes",     "Richter",  "Rossi",    "Russo",
    "Sato",     "Schmidt",  "Shah",     "Silva",    "Singh",     "Smith",    "Sousa",    "Sullivan",
    "Tanaka",   "Taylor",   "Thompson", "Torres",   "Turner",    "Vargas",   "Wagner",   "Walker",
    "Wang",     "Watson",   "Weber",    "Williams", "Wilson",    "Wong",     "Wright",   "Yamamoto",
    "Young",    "Zhang",
};

constexpr std::string_view kRegions[] = {"Central", "East", "West", "North",
                                         "South",   "EMEA", "APAC"};

constexpr std::string_view kTeamWords[] = {"Atlas",  "Beacon",  "Comet",  "Delta", "Ember",
                                           "Falcon", "Granite", "Harbor", "Iris",  "Juniper"};

constexpr std::string_view kCompanyStems[] = {
    "Acme",     "Apex",      "Blue Ridge", "Brightline", "Cascade", "Cedar",     "Copper",
    "Crescent", "Evergreen", "Fairview",   "Golden",     "Granite", "Harbor",    "Horizon",
    "Ironwood", "Keystone",  "Lakeside",   "Liberty",    "Maple",   "Meridian",  "Northwind",
    "Oakridge", "Orion",     "Pinnacle",   "Prairie",    "Redwood", "Riverside", "Silverline",
    "Summit",   "Sunrise",   "Tidewater",  "Trident",    "Union",   "Vertex",    "Westbrook",
};

constexpr std::string_view kCompanySuffixes[] = {
    "Analytics", "Foods",  "Health",   "Holdings",  "Industries", "Labs",     "Logistics",
    "Media",     "Motors", "Partners", "Retail",    "Robotics",   "Software", "Systems",
    "Textiles",  "Energy", "Capital",  "Materials", "Networks",   "Group",
};

constexpr std::string_view kSectors[] = {
    "software",   "retail",      "finance",    "healthcare",  "manufacturing",
    "logistics",  "energy",      "education",  "telecom",     "media",
    "government", "hospitality", "automotive", "agriculture", "real estate",
};

constexpr std::string_view kProducts[] = {"Core", "Core Plus", "Analytics", "Connect",
                                          "Enterprise Suite"};

} // namespace

const std::span<const std::string_view> firstNames = kFirst;
const std::span<const std::string_view> lastNames = kLast;
const std::span<const std::string_view> regions = kRegions;
const std::span<const std::string_view> teamWords = kTeamWords;
const std::span<const std::string_view> companyStems = kCompanyStems;
const std::span<const std::string_view> companySuffixes = kCompanySuffixes;
const std::span<const std::string_view> sectors = kSectors;
const std::span<const std::string_view> products = kProducts;

} // namespace fulcrum::gen::names
