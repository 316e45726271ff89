// Places in Skåne to search near, without a map: the seat of each of the 33 municipalities and a
// few other towns, with their coordinates (WGS 84, the town centre, to about 100 m). Place names
// are proper names and stay as they are in every language.
export const places = [
  { name: "Arlöv", lat: 55.6385, lon: 13.0753 },
  { name: "Bjuv", lat: 56.0838, lon: 12.9187 },
  { name: "Broby", lat: 56.2547, lon: 14.0771 },
  { name: "Bromölla", lat: 56.0731, lon: 14.4671 },
  { name: "Båstad", lat: 56.4264, lon: 12.8538 },
  { name: "Eslöv", lat: 55.8392, lon: 13.3039 },
  { name: "Helsingborg", lat: 56.0465, lon: 12.6945 },
  { name: "Höganäs", lat: 56.1998, lon: 12.5576 },
  { name: "Hörby", lat: 55.8538, lon: 13.6616 },
  { name: "Höör", lat: 55.9366, lon: 13.5424 },
  { name: "Hässleholm", lat: 56.1589, lon: 13.7668 },
  { name: "Klippan", lat: 56.1348, lon: 13.1300 },
  { name: "Kristianstad", lat: 56.0294, lon: 14.1567 },
  { name: "Kävlinge", lat: 55.7939, lon: 13.1133 },
  { name: "Landskrona", lat: 55.8708, lon: 12.8302 },
  { name: "Lomma", lat: 55.6725, lon: 13.0706 },
  { name: "Lund", lat: 55.7047, lon: 13.1910 },
  { name: "Malmö", lat: 55.6050, lon: 13.0038 },
  { name: "Osby", lat: 56.3806, lon: 13.9939 },
  { name: "Perstorp", lat: 56.1379, lon: 13.3946 },
  { name: "Simrishamn", lat: 55.5565, lon: 14.3504 },
  { name: "Sjöbo", lat: 55.6311, lon: 13.7065 },
  { name: "Skurup", lat: 55.4797, lon: 13.4998 },
  { name: "Staffanstorp", lat: 55.6425, lon: 13.2063 },
  { name: "Svalöv", lat: 55.9133, lon: 13.1089 },
  { name: "Svedala", lat: 55.5081, lon: 13.2346 },
  { name: "Tomelilla", lat: 55.5443, lon: 13.9535 },
  { name: "Trelleborg", lat: 55.3751, lon: 13.1569 },
  { name: "Vellinge", lat: 55.4713, lon: 13.0207 },
  { name: "Ystad", lat: 55.4295, lon: 13.8204 },
  { name: "Åstorp", lat: 56.1344, lon: 12.9450 },
  { name: "Ängelholm", lat: 56.2428, lon: 12.8622 },
  { name: "Örkelljunga", lat: 56.2834, lon: 13.2794 },
];

/** The radii offered, in km. */
export const radii = [2, 5, 10, 25, 50];
